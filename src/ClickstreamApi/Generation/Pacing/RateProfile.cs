using System.Globalization;

namespace ClickstreamApi.Generation.Pacing;

/// <summary>The shape of the generated rate over time.</summary>
public enum RateProfileKind
{
    /// <summary>Events exactly every 1/<see cref="RateProfile.EventsPerSecond"/> seconds.</summary>
    Constant,

    /// <summary>Independent events (exponential gaps) averaging <see cref="RateProfile.EventsPerSecond"/>.</summary>
    Poisson,

    /// <summary>On/off: the rate for <see cref="RateProfile.BurstSeconds"/>, then nothing for <see cref="RateProfile.PauseSeconds"/>, repeating.</summary>
    Burst,

    /// <summary>Linear from <see cref="RateProfile.RampFromEventsPerSecond"/> to the rate over <see cref="RateProfile.RampSeconds"/>, then steady.</summary>
    Ramp,

    /// <summary>
    /// Day and night on the run's clock (UTC): lowest at <see cref="RateProfile.TroughHour"/>, highest at
    /// <see cref="RateProfile.PeakHour"/>, their ratio <see cref="RateProfile.PeakToTroughRatio"/>, weekends
    /// scaled by <see cref="RateProfile.WeekendFactor"/>; the rate is the average over a weekday.
    /// </summary>
    Daily,
}

/// <summary>
/// How the generator's rate behaves over time, measured from the moment the profile is applied.
/// Parameters that do not belong to <see cref="Kind"/> must be null; <see cref="Validate"/> says
/// what is wrong with a profile, field by field.
/// </summary>
/// <param name="Kind">The shape of the rate.</param>
/// <param name="EventsPerSecond">The rate: constant, mean (poisson), during bursts, or at the end of a ramp.</param>
/// <param name="BurstSeconds">Burst only: how long each burst lasts.</param>
/// <param name="PauseSeconds">Burst only: how long the silence after each burst lasts (0 makes it constant).</param>
/// <param name="RampFromEventsPerSecond">Ramp only: the rate the ramp starts at (may be 0).</param>
/// <param name="RampSeconds">Ramp only: how long the ramp takes to reach <paramref name="EventsPerSecond"/>.</param>
/// <param name="PeakHour">Daily only: the hour of the day (UTC, 0 to 24, fractions allowed) with the most traffic.</param>
/// <param name="TroughHour">Daily only: the hour of the day (UTC) with the least traffic.</param>
/// <param name="PeakToTroughRatio">Daily only: how many times the peak rate is the trough rate (1 to 1000).</param>
/// <param name="WeekendFactor">Daily only: Saturdays and Sundays run at this multiple of a weekday (0.01 to 100).</param>
public sealed record RateProfile(
    RateProfileKind Kind,
    double EventsPerSecond,
    double? BurstSeconds = null,
    double? PauseSeconds = null,
    double? RampFromEventsPerSecond = null,
    double? RampSeconds = null,
    double? PeakHour = null,
    double? TroughHour = null,
    double? PeakToTroughRatio = null,
    double? WeekendFactor = null)
{
    /// <summary>Daily default: evening shopping peaks at 20:00.</summary>
    public const double DefaultPeakHour = 20;

    /// <summary>Daily default: the night's low at 04:00.</summary>
    public const double DefaultTroughHour = 4;

    /// <summary>Daily default: the evening peak carries six times the night's traffic.</summary>
    public const double DefaultPeakToTroughRatio = 6;

    /// <summary>Daily default: weekends are a fifth busier than weekdays.</summary>
    public const double DefaultWeekendFactor = 1.2;

    public const double MaxPeakToTroughRatio = 1000;
    public const double MinWeekendFactor = 0.01;
    public const double MaxWeekendFactor = 100;

    /// <summary>Longest burst, pause or ramp accepted: a day is already far beyond any useful test.</summary>
    public const double MaxDurationSeconds = 86_400;

    public static RateProfile Constant(double eventsPerSecond) => new(RateProfileKind.Constant, eventsPerSecond);

    /// <summary>The long-run average rate (for daily, over a whole week).</summary>
    public double MeanEventsPerSecond => Kind switch
    {
        RateProfileKind.Burst => EventsPerSecond * BurstLength / (BurstLength + PauseLength),
        RateProfileKind.Daily => EventsPerSecond * (5 + (2 * WeekendFactor.GetValueOrDefault(DefaultWeekendFactor))) / 7,
        _ => EventsPerSecond,
    };

    /// <summary>
    /// The schedule of this profile applied at <paramref name="origin"/> on the run's clock. Only the
    /// daily profile depends on the clock (time of day and day of week); the others run from their start.
    /// </summary>
    internal IRateCurve CurveFrom(DateTimeOffset origin) => Kind == RateProfileKind.Daily ? new DailyCurve(this, origin) : new ElapsedCurve(this);

    private double BurstLength => BurstSeconds.GetValueOrDefault();

    private double PauseLength => PauseSeconds.GetValueOrDefault();

    private double RampFrom => RampFromEventsPerSecond.GetValueOrDefault();

    private double RampLength => RampSeconds.GetValueOrDefault();

    /// <summary>
    /// The nominal rate <paramref name="secondsSinceStart"/> after the profile began (0 during a burst's
    /// pause). The daily profile's rate depends on the clock: see <see cref="CurveFrom"/>.
    /// </summary>
    public double RateAt(double secondsSinceStart)
    {
        var t = Math.Max(0, secondsSinceStart);
        switch (Kind)
        {
            case RateProfileKind.Burst:
                var period = BurstLength + PauseLength;
                return t - (Math.Floor(t / period) * period) < BurstLength ? EventsPerSecond : 0;
            case RateProfileKind.Ramp:
                return t >= RampLength ? EventsPerSecond : RampFrom + ((EventsPerSecond - RampFrom) * t / RampLength);
            default:
                return EventsPerSecond;
        }
    }

    /// <summary>
    /// N(t): how many events the nominal rate accumulates in the first <paramref name="seconds"/>
    /// (the integral of <see cref="RateAt"/>). Not meaningful for <see cref="RateProfileKind.Poisson"/>,
    /// whose events are random; there it is the expected count.
    /// </summary>
    internal double CumulativeEvents(double seconds)
    {
        var t = Math.Max(0, seconds);
        switch (Kind)
        {
            case RateProfileKind.Burst:
                var period = BurstLength + PauseLength;
                var cycles = Math.Floor(t / period);
                var intoCycle = Math.Max(0, t - (cycles * period));
                return (cycles * EventsPerSecond * BurstLength) + (EventsPerSecond * Math.Min(intoCycle, BurstLength));
            case RateProfileKind.Ramp:
                var slope = (EventsPerSecond - RampFrom) / RampLength;
                if (t <= RampLength)
                {
                    return (RampFrom * t) + (slope * t * t / 2);
                }

                return ((RampFrom + EventsPerSecond) * RampLength / 2) + (EventsPerSecond * (t - RampLength));
            default:
                return EventsPerSecond * t;
        }
    }

    /// <summary>
    /// The inverse of <see cref="CumulativeEvents"/>: seconds after the start at which event
    /// <paramref name="index"/> (from 0) is due. Computed in closed form for every index rather than
    /// by adding gaps, so rounding never accumulates over a long run. Where N(t) is flat (a burst's
    /// pause) the latest such moment is taken, so an event that would fall exactly on a burst's end
    /// opens the next burst instead: bursts cover [start, start + BurstSeconds).
    /// </summary>
    internal double SecondsUntilEvent(double index)
    {
        if (index <= 0)
        {
            return 0;
        }

        switch (Kind)
        {
            case RateProfileKind.Burst:
                var perBurst = EventsPerSecond * BurstLength;
                var cycles = Math.Floor(index / perBurst);
                var intoBurst = index - (cycles * perBurst);

                // Rounding (30/s × 0.1 s is 3.0000000000000004 events) may put the remainder a hair
                // outside [0, perBurst); an event within that hair of a burst's end opens the next
                // burst, as it would with exact arithmetic.
                var hair = index * 1e-14;
                if (intoBurst < -hair)
                {
                    cycles--;
                    intoBurst += perBurst;
                }

                if (intoBurst >= perBurst - hair)
                {
                    cycles++;
                    intoBurst -= perBurst;
                }

                intoBurst = Math.Max(0, intoBurst);

                return (cycles * (BurstLength + PauseLength)) + (intoBurst / EventsPerSecond);
            case RateProfileKind.Ramp:
                var slope = (EventsPerSecond - RampFrom) / RampLength;
                var duringRamp = (RampFrom + EventsPerSecond) * RampLength / 2;
                if (index > duringRamp)
                {
                    return RampLength + ((index - duringRamp) / EventsPerSecond);
                }

                if (slope == 0)
                {
                    return index / RampFrom;
                }

                // Root of slope/2 t² + from t = index, written so it neither cancels nor divides by
                // a zero slope's neighbourhood; the discriminant stays >= to² >= 0 within the ramp.
                var root = Math.Sqrt(Math.Max(0, (RampFrom * RampFrom) + (2 * slope * index)));
                return Math.Min(RampLength, 2 * index / (RampFrom + root));
            default:
                return index / EventsPerSecond;
        }
    }

    /// <summary>
    /// Everything wrong with <paramref name="p"/>, each problem named by its JSON field; empty when
    /// the profile is usable. Rates must lie within [<paramref name="minRate"/>, <paramref name="maxRate"/>]
    /// except a ramp's starting rate, which may be anything from 0 to <paramref name="maxRate"/>.
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(RateProfile p, double minRate, double maxRate)
    {
        ArgumentNullException.ThrowIfNull(p);
        var problems = new List<(string Field, string Message)>();

        if (!Enum.IsDefined(p.Kind))
        {
            problems.Add(("kind", "Must be constant, poisson, burst, ramp or daily."));
            return problems;
        }

        CheckRate(problems, "eventsPerSecond", p.EventsPerSecond, minRate, maxRate);
        if (p.Kind == RateProfileKind.Daily)
        {
            CheckDaily(problems, p, maxRate);
        }
        else
        {
            RefuseUnless(problems, "peakHour", p.PeakHour, "daily");
            RefuseUnless(problems, "troughHour", p.TroughHour, "daily");
            RefuseUnless(problems, "peakToTroughRatio", p.PeakToTroughRatio, "daily");
            RefuseUnless(problems, "weekendFactor", p.WeekendFactor, "daily");
        }

        if (p.Kind == RateProfileKind.Burst)
        {
            CheckDuration(problems, "burstSeconds", p.BurstSeconds, "burst", allowZero: false);
            CheckDuration(problems, "pauseSeconds", p.PauseSeconds, "burst", allowZero: true);
        }
        else
        {
            RefuseUnless(problems, "burstSeconds", p.BurstSeconds, "burst");
            RefuseUnless(problems, "pauseSeconds", p.PauseSeconds, "burst");
        }

        if (p.Kind == RateProfileKind.Ramp)
        {
            if (p.RampFromEventsPerSecond is null)
            {
                problems.Add(("rampFromEventsPerSecond", "Required for the ramp profile: the rate the ramp starts at."));
            }
            else
            {
                CheckRate(problems, "rampFromEventsPerSecond", p.RampFromEventsPerSecond.Value, 0, maxRate);
            }

            CheckDuration(problems, "rampSeconds", p.RampSeconds, "ramp", allowZero: false);
        }
        else
        {
            RefuseUnless(problems, "rampFromEventsPerSecond", p.RampFromEventsPerSecond, "ramp");
            RefuseUnless(problems, "rampSeconds", p.RampSeconds, "ramp");
        }

        return problems;
    }

    private static void CheckDaily(List<(string, string)> problems, RateProfile p, double maxRate)
    {
        CheckHour(problems, "peakHour", p.PeakHour);
        CheckHour(problems, "troughHour", p.TroughHour);
        if ((p.PeakHour ?? DefaultPeakHour) == (p.TroughHour ?? DefaultTroughHour))
        {
            problems.Add(("peakHour", "Must differ from troughHour."));
        }

        if (p.PeakToTroughRatio is { } ratio && (!double.IsFinite(ratio) || ratio < 1 || ratio > MaxPeakToTroughRatio))
        {
            problems.Add(("peakToTroughRatio", string.Create(CultureInfo.InvariantCulture, $"Must be from 1 to {MaxPeakToTroughRatio}.")));
        }

        if (p.WeekendFactor is { } weekend && (!double.IsFinite(weekend) || weekend < MinWeekendFactor || weekend > MaxWeekendFactor))
        {
            problems.Add(("weekendFactor", string.Create(CultureInfo.InvariantCulture, $"Must be from {MinWeekendFactor} to {MaxWeekendFactor}.")));
        }

        if (problems.Count == 0 && double.IsFinite(p.EventsPerSecond) && DailyCurve.PeakRate(p) > maxRate)
        {
            problems.Add(("eventsPerSecond", string.Create(CultureInfo.InvariantCulture,
                $"The daily peak would be {DailyCurve.PeakRate(p):0.##} events/s, above the highest rate of {maxRate}: lower the rate, the ratio or the weekend factor.")));
        }
    }

    private static void CheckHour(List<(string, string)> problems, string field, double? hour)
    {
        if (hour is { } value && (!double.IsFinite(value) || value < 0 || value >= 24))
        {
            problems.Add((field, "Must be an hour of the day from 0 up to (not including) 24."));
        }
    }

    private static void CheckRate(List<(string, string)> problems, string field, double rate, double min, double max)
    {
        if (!double.IsFinite(rate))
        {
            problems.Add((field, "Must be a finite number of events per second."));
        }
        else if (rate < min)
        {
            problems.Add((field, string.Create(CultureInfo.InvariantCulture, $"Must be at least {min}.")));
        }
        else if (rate > max)
        {
            problems.Add((field, string.Create(CultureInfo.InvariantCulture, $"Must be at most {max}.")));
        }
    }

    private static void CheckDuration(List<(string, string)> problems, string field, double? seconds, string profile, bool allowZero)
    {
        if (seconds is not { } value)
        {
            problems.Add((field, $"Required for the {profile} profile: a number of seconds."));
        }
        else if (!double.IsFinite(value))
        {
            problems.Add((field, "Must be a finite number of seconds."));
        }
        else if (allowZero ? value < 0 : value <= 0)
        {
            problems.Add((field, allowZero ? "Must be 0 or more seconds." : "Must be more than 0 seconds."));
        }
        else if (value > MaxDurationSeconds)
        {
            problems.Add((field, string.Create(CultureInfo.InvariantCulture, $"Must be at most {MaxDurationSeconds} seconds (one day).")));
        }
    }

    private static void RefuseUnless(List<(string, string)> problems, string field, double? value, string profile)
    {
        if (value is not null)
        {
            problems.Add((field, $"Only applies to the {profile} profile."));
        }
    }
}

/// <summary>The closed-form schedules (constant, poisson's mean, burst, ramp), which run from the profile's start whatever the clock says.</summary>
file sealed class ElapsedCurve(RateProfile profile) : IRateCurve
{
    public double RateAt(double seconds) => profile.RateAt(seconds);

    public double CumulativeEvents(double seconds) => profile.CumulativeEvents(seconds);

    public double SecondsUntilEvent(double index) => profile.SecondsUntilEvent(index);
}
