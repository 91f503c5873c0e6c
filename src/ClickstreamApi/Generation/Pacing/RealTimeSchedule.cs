namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// The wall-clock schedule: the <see cref="RatePacer"/> decides what is due, and events carry the
/// time they are made. Each event's due time on the profile goes with it, so latency can be measured
/// from when it should have been sent: when the generator falls behind, the time it is made hides
/// that delay (coordinated omission).
/// </summary>
internal sealed class RealTimeSchedule : IRunSchedule
{
    private readonly RatePacer _pacer;
    private readonly Random _timing;
    private readonly TimeProvider _time;

    public RealTimeSchedule(RateProfile profile, Random timing, TimeProvider time)
    {
        _time = time;
        _timing = timing;
        _pacer = new RatePacer(time);
        _pacer.Start(profile, timing);
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public double CurrentRate => _pacer.CurrentRate;

    public long ScheduleResets => _pacer.ScheduleResets;

    public long SkippedEvents => _pacer.SkippedEvents;

    public bool Ended => false;

    public void Change(RateProfile profile) => _pacer.Change(profile, _timing);

    public long Due(long maxBatch) => _pacer.Due(maxBatch);

    public TakenEvent Take()
    {
        var due = _pacer.NextDueTimestamp;
        _pacer.Advance(1);
        var scheduled = WallClock.DueAt(_time, due, out var now);
        return new TakenEvent(now, scheduled);
    }

    public TimeSpan UntilNext() => _pacer.UntilNext();
}
