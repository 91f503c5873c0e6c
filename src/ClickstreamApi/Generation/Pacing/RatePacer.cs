namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// Paces events against a clock following a <see cref="RateProfile"/>. The caller asks how many
/// events are due, produces them, reports how many it produced and sleeps until the next one.
/// Because "due" is computed from elapsed time rather than from sleep lengths, timer jitter and
/// batching never change the long-run rate.
/// </summary>
/// <remarks>
/// Deterministic profiles (constant, burst, ramp, daily) put event k at N⁻¹(k), the moment the profile's
/// cumulative count N(t) reaches k, computed in closed form for every k: hundreds of millions of
/// events later there is still no drift. Poisson has no such schedule; each event follows the
/// previous one by an exponential sample; the times of the events found due and not yet produced
/// are kept, so each event's due time is known when it is produced (<see cref="NextDueTimestamp"/>).
/// Due times are whole timestamp ticks, so <see cref="Due"/> and <see cref="UntilNext"/> agree
/// exactly on what is due. Not thread-safe: one generating loop owns a pacer.
/// </remarks>
public sealed class RatePacer(TimeProvider time)
{
    /// <summary>
    /// How far behind schedule the generator may fall before the debt is forgotten rather than
    /// burst out: once the oldest due event is later than this, only the latest due event is kept.
    /// </summary>
    public static readonly TimeSpan MaxBacklog = TimeSpan.FromSeconds(1);

    // Beyond these, due times or counts no longer fit a long of ticks; the API's limits are far inside.
    private const double MinRate = 1e-6;
    private const double MaxRate = 1e9;

    // Far enough to be never, near enough that adding the anchor cannot overflow.
    private const long Never = long.MaxValue / 4;

    private readonly long _frequency = time.TimestampFrequency;
    private readonly long _maxBacklogTicks = (long)(MaxBacklog.TotalSeconds * time.TimestampFrequency);

    private RateProfile? _profile;
    private IRateCurve? _curve;
    private Random _random = Random.Shared;
    private long _anchor;

    // Index (in the profile's own count) of the next event to produce.
    private long _next;

    // Poisson only: events up to (not including) _scanned were found due; _scanSeconds is when
    // event _scanned falls; _pending holds when each of events _next to _scanned - 1 fell.
    private long _scanned;
    private double _scanSeconds;
    private readonly PendingTimes _pending = new(16);

    /// <summary>The profile being followed.</summary>
    /// <exception cref="InvalidOperationException">Before the first <see cref="Start(RateProfile, Random)"/>.</exception>
    public RateProfile Profile => _profile ?? throw NotStarted();

    /// <summary>The profile's nominal rate now (0 before the pacer starts and during a burst's pause).</summary>
    public double CurrentRate => _curve?.RateAt(ElapsedSeconds(time.GetTimestamp())) ?? 0;

    /// <summary>Times the generator fell more than <see cref="MaxBacklog"/> behind and skipped its schedule forward.</summary>
    public long ScheduleResets { get; private set; }

    /// <summary>
    /// Events the schedule dropped when skipping a backlog. For poisson the skipped stretch is never
    /// sampled (the process is memoryless), so its expected count is added instead.
    /// </summary>
    public long SkippedEvents { get; private set; }

    /// <summary>
    /// When the next event to produce (the one the next <see cref="Advance"/> counts) is or was due,
    /// as a <see cref="TimeProvider.GetTimestamp"/> value: before <see cref="Due"/> has found it due,
    /// a time still to come.
    /// </summary>
    public long NextDueTimestamp
    {
        get
        {
            var profile = _profile ?? throw NotStarted();
            if (profile.Kind != RateProfileKind.Poisson)
            {
                return DueTick(_next);
            }

            return _anchor + ToTicks(_next < _scanned ? _pending.Oldest : _scanSeconds);
        }
    }

    /// <summary>Begins <paramref name="profile"/> now; its first event is due at once.</summary>
    /// <param name="profile">The schedule to follow.</param>
    /// <param name="random">Source of poisson gaps; seed it for repeatable runs.</param>
    public void Start(RateProfile profile, Random random) => Begin(profile, random, firstIndex: 0);

    /// <summary>Switches to <paramref name="profile"/>, which begins now; its first event is due one gap from now.</summary>
    /// <remarks>
    /// "One gap" is where the new profile's count reaches 1: 1/r for constant and burst (unless a
    /// burst holds less than one event, when it is the first burst that completes one), the first
    /// whole event of a ramp, one exponential sample for poisson. The debt of the old profile is
    /// dropped without counting it as skipped: the caller asked for the change.
    /// </remarks>
    public void Change(RateProfile profile, Random random) => Begin(profile, random, firstIndex: 1);

    /// <summary>How many events are due now, at most <paramref name="maxBatch"/>.</summary>
    public long Due(long maxBatch)
    {
        var profile = _profile ?? throw NotStarted();
        var now = time.GetTimestamp();
        var due = profile.Kind == RateProfileKind.Poisson ? DuePoisson(profile, now, maxBatch) : DueScheduled(now);
        return Math.Clamp(due, 0, maxBatch);
    }

    /// <summary>Records that <paramref name="count"/> due events were produced.</summary>
    public void Advance(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var profile = _profile ?? throw NotStarted();
        _next += count;
        if (profile.Kind != RateProfileKind.Poisson)
        {
            return;
        }

        _pending.Remove(Math.Min(count, _pending.Count));

        // Producing more than was reported due still consumes those events' gaps.
        while (_scanned < _next)
        {
            _scanned++;
            _scanSeconds += ExponentialGap(profile);
        }
    }

    /// <summary>Time until the next event is due (zero when one is already due).</summary>
    public TimeSpan UntilNext()
    {
        var profile = _profile ?? throw NotStarted();
        var now = time.GetTimestamp();
        long dueTick;
        if (profile.Kind == RateProfileKind.Poisson)
        {
            if (_next < _scanned)
            {
                return TimeSpan.Zero;
            }

            dueTick = _anchor + ToTicks(_scanSeconds);
        }
        else
        {
            dueTick = DueTick(_next);
        }

        if (dueTick <= now)
        {
            return TimeSpan.Zero;
        }

        // Round up so that sleeping this long always finds the event due.
        return TimeSpan.FromTicks((long)Math.Ceiling((dueTick - now) * ((double)TimeSpan.TicksPerSecond / _frequency)));
    }

    private void Begin(RateProfile profile, Random random, long firstIndex)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(random);
        var problems = RateProfile.Validate(profile, MinRate, MaxRate);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{problems[0].Field}: {problems[0].Message}", nameof(profile));
        }

        _profile = profile;
        _curve = profile.CurveFrom(time.GetUtcNow());
        _random = random;
        _anchor = time.GetTimestamp();
        _next = firstIndex;
        _scanned = firstIndex;
        _scanSeconds = firstIndex == 0 ? 0 : ExponentialGap(profile);
        _pending.Clear();
    }

    private long DueScheduled(long now)
    {
        var oldest = DueTick(_next);
        if (oldest > now)
        {
            return 0;
        }

        // First index not yet due: N(t) gives it to within rounding; the exact tick comparison decides.
        var end = (long)Math.Floor(_curve!.CumulativeEvents(ElapsedSeconds(now))) + 1;
        end = Math.Max(end, _next + 1);
        while (DueTick(end) <= now)
        {
            end++;
        }

        while (end > _next + 1 && DueTick(end - 1) > now)
        {
            end--;
        }

        if (now - oldest > _maxBacklogTicks)
        {
            // Far behind (the producer pushed back, or the process was paused): bursting the whole
            // debt would distort the rate, so keep only the latest due event. The profile's clock
            // runs on, so a ramp stays where it should be by now.
            ScheduleResets++;

            // In a burst's pause even the latest due event is stale, and producing it would put an
            // event where the profile has none: drop it too and wait for the next burst.
            var keep = _curve!.RateAt(ElapsedSeconds(now)) > 0 ? 1 : 0;
            SkippedEvents += end - keep - _next;
            _next = end - keep;
        }

        return end - _next;
    }

    private long DuePoisson(RateProfile profile, long now, long maxBatch)
    {
        var elapsed = ElapsedSeconds(now);
        var oldestTick = _anchor + ToTicks(_next < _scanned ? _pending.Oldest : _scanSeconds);
        if (oldestTick <= now && now - oldestTick > _maxBacklogTicks)
        {
            // Memoryless: the stretch being forgotten need not be sampled event by event; its
            // expected count is what was skipped, and the next gap is drawn afresh from now.
            var unscanned = _scanSeconds <= elapsed ? 1 + (long)Math.Round(profile.EventsPerSecond * (elapsed - _scanSeconds)) : 0;
            ScheduleResets++;
            SkippedEvents += _scanned - _next + unscanned - 1;
            _scanned = _next + 1;
            _pending.Clear();
            _pending.Add(elapsed);
            _scanSeconds = elapsed + ExponentialGap(profile);
        }

        // Find due events only as far as the caller can take them; later calls continue the scan.
        while (_scanned - _next < maxBatch && _anchor + ToTicks(_scanSeconds) <= now)
        {
            _pending.Add(_scanSeconds);
            _scanned++;
            _scanSeconds += ExponentialGap(profile);
        }

        return _scanned - _next;
    }

    private long DueTick(long index) => _anchor + ToTicks(_curve!.SecondsUntilEvent(index));

    private double ExponentialGap(RateProfile profile) => -Math.Log(1 - _random.NextDouble()) / profile.EventsPerSecond;

    private double ElapsedSeconds(long now) => (now - _anchor) / (double)_frequency;

    /// <summary>
    /// Seconds to whole ticks, rounding up so an event is never due before its time, except that a
    /// value within a few ulps of a whole tick is that tick: k/r lands a hair above an exact k/r
    /// second as often as on it, and that must not delay the event by a tick.
    /// </summary>
    private long ToTicks(double seconds)
    {
        var ticks = seconds * _frequency;
        if (ticks >= Never)
        {
            // A profile whose next event is centuries away (a microscopic rate in short bursts).
            return Never;
        }

        var nearest = Math.Round(ticks);
        return Math.Abs(ticks - nearest) <= (Math.Abs(ticks) * 1e-14) + 1e-9 ? (long)nearest : (long)Math.Ceiling(ticks);
    }

    private static InvalidOperationException NotStarted() => new("The pacer has not been started.");

    /// <summary>
    /// A queue of the times (seconds since the anchor) of poisson events found due and not produced
    /// yet, oldest first: a ring that doubles when full, so a steady loop allocates nothing.
    /// </summary>
    private sealed class PendingTimes(int capacity)
    {
        private double[] _times = new double[capacity];
        private int _head;

        public int Count { get; private set; }

        public double Oldest => _times[_head];

        public void Add(double seconds)
        {
            if (Count == _times.Length)
            {
                var grown = new double[_times.Length * 2];
                for (var i = 0; i < Count; i++)
                {
                    grown[i] = _times[(_head + i) & (_times.Length - 1)];
                }

                _times = grown;
                _head = 0;
            }

            _times[(_head + Count) & (_times.Length - 1)] = seconds;
            Count++;
        }

        public void Remove(long count)
        {
            _head = (int)((_head + count) & (_times.Length - 1));
            Count -= (int)count;
        }

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }
    }
}
