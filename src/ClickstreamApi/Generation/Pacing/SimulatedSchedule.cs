namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// The schedule on a run's <see cref="SimulatedClock"/>. Event k of a profile falls at N⁻¹(k) after
/// the profile began on the simulated clock (poisson: after k exponential gaps from the run's timing
/// stream), so the times depend on the seed and the profile only, never on how fast the machine
/// is: a run that falls behind carries on late rather than skipping. At a speed, event times are
/// due once the simulated clock (start + real time elapsed × speed) has reached them, so each one's
/// due time on the wall clock is the run's wall start + (its time − start) / speed; as fast as
/// possible, every event is due at once and none has a due time on the wall clock.
/// </summary>
internal sealed class SimulatedSchedule : IRunSchedule
{
    private readonly SimulatedClock _clock;
    private readonly Random _timing;
    private readonly TimeProvider _time;
    private readonly long _wallStart;

    // The current profile, where on the simulated clock it began, and the index of its next event.
    private RateProfile _profile;
    private IRateCurve _curve;
    private DateTimeOffset _origin;
    private long _index;
    private double _poissonSeconds;

    // The next event's time (computed ahead, so Due and Take agree), and the last one taken.
    private DateTimeOffset _next;
    private DateTimeOffset? _last;

    public SimulatedSchedule(SimulatedClock clock, RateProfile profile, Random timing, TimeProvider time)
    {
        _clock = clock;
        _timing = timing;
        _time = time;
        _wallStart = time.GetTimestamp();
        _profile = profile;
        _origin = clock.StartAt;
        _curve = profile.CurveFrom(_origin);
        _index = 0;
        _next = TimeOf(_index);
    }

    /// <summary>The simulated time reached: the last event's time as fast as possible, else the paced clock (never before the last event).</summary>
    public DateTimeOffset Now
    {
        get
        {
            if (_clock.AsFastAsPossible)
            {
                return _last ?? _clock.StartAt;
            }

            var paced = Paced();
            return _last is { } last && last > paced ? last : paced;
        }
    }

    public double CurrentRate => _curve.RateAt((Now - _origin).TotalSeconds);

    public long ScheduleResets => 0;

    public long SkippedEvents => 0;

    public bool Ended => _clock.EndAt is { } end && _next >= end;

    public void Change(RateProfile profile)
    {
        // The new profile begins where the run's clock is; its first event is one gap later.
        _profile = profile;
        _origin = Now;
        _curve = profile.CurveFrom(_origin);
        _poissonSeconds = 0;
        _index = 1;
        _next = TimeOf(_index);
    }

    public long Due(long maxBatch)
    {
        if (Ended)
        {
            return 0;
        }

        if (_clock.AsFastAsPossible)
        {
            return maxBatch;
        }

        // Only the next event's time is known ahead; the loop asks again after each batch.
        return _next <= Paced() ? Math.Min(maxBatch, CountDue(maxBatch)) : 0;
    }

    public TakenEvent Take()
    {
        var taken = _next;
        _last = taken;
        _index++;
        _next = TimeOf(_index);
        if (_clock.AsFastAsPossible)
        {
            return new TakenEvent(taken, null);
        }

        var wallSeconds = (taken - _clock.StartAt).TotalSeconds / _clock.Speed;
        var due = _wallStart + (long)Math.Round(wallSeconds * _time.TimestampFrequency);
        return new TakenEvent(taken, WallClock.DueAt(_time, due, out _));
    }

    public TimeSpan UntilNext()
    {
        if (_clock.AsFastAsPossible || Ended)
        {
            return TimeSpan.Zero;
        }

        var ahead = (_next - Paced()).TotalSeconds;
        return ahead <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(ahead / _clock.Speed);
    }

    private DateTimeOffset Paced()
    {
        var elapsed = _time.GetElapsedTime(_wallStart).TotalSeconds * _clock.Speed;
        return _clock.StartAt + TimeSpan.FromSeconds(Math.Min(elapsed, TimeSpan.MaxValue.TotalSeconds / 2));
    }

    /// <summary>Due events from the next one on, judged by the times of the deterministic profiles (poisson: the next one only).</summary>
    private long CountDue(long maxBatch)
    {
        if (_profile.Kind == RateProfileKind.Poisson)
        {
            return 1;
        }

        var now = (Paced() - _origin).TotalSeconds;
        var end = Math.Max(_index + 1, (long)Math.Floor(_curve.CumulativeEvents(now)) + 1);
        return Math.Min(maxBatch, end - _index);
    }

    private DateTimeOffset TimeOf(long index)
    {
        double seconds;
        if (_profile.Kind == RateProfileKind.Poisson)
        {
            // Gaps are drawn in order, once per event: TimeOf is called once per index.
            if (index > 0)
            {
                _poissonSeconds += -Math.Log(1 - _timing.NextDouble()) / _profile.EventsPerSecond;
            }

            seconds = _poissonSeconds;
        }
        else
        {
            seconds = _curve.SecondsUntilEvent(index);
        }

        return _origin.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }
}
