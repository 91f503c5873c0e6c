namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// When a run's events are due and what time each one carries: on the wall clock
/// (<see cref="RealTimeSchedule"/>) or on the run's own simulated clock (<see cref="SimulatedSchedule"/>).
/// Owned by the generating loop; not thread-safe.
/// </summary>
internal interface IRunSchedule
{
    /// <summary>The run's clock now: the wall clock, or the simulated time the run has reached.</summary>
    DateTimeOffset Now { get; }

    /// <summary>The profile's nominal rate now, on the run's clock.</summary>
    double CurrentRate { get; }

    /// <summary>Times the generator fell over a second behind and skipped ahead (the wall clock only).</summary>
    long ScheduleResets { get; }

    /// <summary>Events skipped when it did.</summary>
    long SkippedEvents { get; }

    /// <summary>True once the run's clock has reached its end (simulated runs with an end only).</summary>
    bool Ended { get; }

    /// <summary>Switches to <paramref name="profile"/> from the current point of the run's clock.</summary>
    void Change(RateProfile profile);

    /// <summary>How many events are due now, at most <paramref name="maxBatch"/>.</summary>
    long Due(long maxBatch);

    /// <summary>Takes the next due event off the schedule: the time it carries and when it was due on the wall clock.</summary>
    TakenEvent Take();

    /// <summary>Real time until the next event is due (zero when one is already due).</summary>
    TimeSpan UntilNext();
}
