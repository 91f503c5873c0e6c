namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// A rate over time as a schedule: the rate at a moment, how many events it accumulates, and when
/// each event falls. Times are seconds since the curve began.
/// </summary>
internal interface IRateCurve
{
    /// <summary>The nominal rate <paramref name="seconds"/> after the start.</summary>
    double RateAt(double seconds);

    /// <summary>N(t): events accumulated in the first <paramref name="seconds"/> (the integral of the rate).</summary>
    double CumulativeEvents(double seconds);

    /// <summary>The inverse of N(t): seconds after the start at which event <paramref name="index"/> (from 0) falls.</summary>
    double SecondsUntilEvent(double index);
}
