namespace ClickstreamApi.Generation;

/// <summary>
/// Exact pacing against a clock: at rate r, event k (from 0) of a schedule is due k/r seconds
/// after the schedule's anchor. The caller asks how many events are due, produces them, reports
/// how many it produced and sleeps until the next one. Because "due" is computed from elapsed time
/// rather than from sleep lengths, timer jitter and batching never change the long-run rate.
/// </summary>
public sealed class RatePacer(TimeProvider time)
{
    /// <summary>How far behind schedule the generator may fall before the debt is forgotten rather than burst out.</summary>
    public static readonly TimeSpan MaxBacklog = TimeSpan.FromSeconds(1);

    private double _rate;
    private long _anchor;
    private long _emitted;

    public double Rate => _rate;

    /// <summary>Times the generator fell more than <see cref="MaxBacklog"/> behind and restarted its schedule.</summary>
    public long ScheduleResets { get; private set; }

    /// <summary>Begins a schedule whose first event is due now.</summary>
    public void Start(double eventsPerSecond)
    {
        ValidateRate(eventsPerSecond);
        _rate = eventsPerSecond;
        _anchor = time.GetTimestamp();
        _emitted = 0;
    }

    /// <summary>Switches to a new rate; the next event is due one new interval from now.</summary>
    public void ChangeRate(double eventsPerSecond)
    {
        ValidateRate(eventsPerSecond);
        _rate = eventsPerSecond;
        _anchor = time.GetTimestamp() + (long)(time.TimestampFrequency / eventsPerSecond);
        _emitted = 0;
    }

    /// <summary>How many events are due now, at most <paramref name="maxBatch"/>.</summary>
    public long Due(long maxBatch)
    {
        var due = DueNow();
        var maxBacklog = Math.Max(1, (long)Math.Ceiling(_rate * MaxBacklog.TotalSeconds));
        if (due > maxBacklog)
        {
            // Far behind (the producer pushed back, or the process was paused): bursting the whole
            // debt would distort the rate, so restart the schedule from now.
            ScheduleResets++;
            _anchor = time.GetTimestamp();
            _emitted = 0;
            due = 1;
        }

        return Math.Clamp(due, 0, maxBatch);
    }

    /// <summary>Records that <paramref name="count"/> due events were produced.</summary>
    public void Advance(long count) => _emitted += count;

    /// <summary>Time until the next event is due (zero when one is already due).</summary>
    public TimeSpan UntilNext()
    {
        var dueAtSeconds = _emitted / _rate;
        var elapsedSeconds = time.GetElapsedTime(_anchor).TotalSeconds;
        return dueAtSeconds <= elapsedSeconds ? TimeSpan.Zero : TimeSpan.FromSeconds(dueAtSeconds - elapsedSeconds);
    }

    private long DueNow()
    {
        var elapsedSeconds = time.GetElapsedTime(_anchor).TotalSeconds;
        if (elapsedSeconds < 0)
        {
            return 0;
        }

        // Events 0..floor(elapsed * rate) are due by now.
        return (long)Math.Floor(elapsedSeconds * _rate) + 1 - _emitted;
    }

    private static void ValidateRate(double eventsPerSecond)
    {
        if (!double.IsFinite(eventsPerSecond) || eventsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(eventsPerSecond), eventsPerSecond, "The rate must be a positive number.");
        }
    }
}
