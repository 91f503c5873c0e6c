namespace ClickstreamApi.Generation.Model;

/// <summary>
/// When the shop's dimensions change, on a run's clock: one Poisson process per
/// <see cref="DimensionChangeKind"/> at its rate, each with a random stream of its own from the run's
/// seed, merged in time order (equal times in the order of the kinds). The times depend on the seed,
/// the start and the rates only, never on the click events or the wall clock. Changes fall on whole
/// milliseconds (rounded up), the resolution of Kafka timestamps: a click at or after a change's
/// time then never carries an earlier Kafka timestamp than the change, so a join that replays the
/// topics by timestamp sees the change first.
/// </summary>
public sealed class DimensionChangeSchedule
{
    private readonly Process[] _processes;

    public DimensionChangeSchedule(int seed, DateTimeOffset start, DimensionRates rates)
    {
        _processes =
        [
            new Process(new Random(seed ^ 0x0D1A_9CE1), rates.PriceChangesPerHour, start),
            new Process(new Random(seed ^ 0x0D1A_05E2), rates.UserChangesPerHour, start),
            new Process(new Random(seed ^ 0x0D1A_DE13), rates.AccountDeletionsPerHour, start),
        ];
    }

    /// <summary>The next change's time; <see cref="DateTimeOffset.MaxValue"/> when nothing will change.</summary>
    public DateTimeOffset NextAt => _processes[NextIndex()].Next;

    /// <summary>Takes the next change off the schedule.</summary>
    public (DimensionChangeKind Kind, DateTimeOffset At) Take()
    {
        var index = NextIndex();
        var at = _processes[index].Next;
        if (at == DateTimeOffset.MaxValue)
        {
            throw new InvalidOperationException("Nothing is scheduled to change.");
        }

        _processes[index].Advance();
        return ((DimensionChangeKind)index, at);
    }

    private int NextIndex()
    {
        var next = 0;
        for (var i = 1; i < _processes.Length; i++)
        {
            if (_processes[i].Next < _processes[next].Next)
            {
                next = i;
            }
        }

        return next;
    }

    /// <summary>One kind's changes: exponential gaps at its rate, summed from the start (no rounding drift).</summary>
    private sealed class Process
    {
        private readonly Random _random;
        private readonly double _perSecond;
        private readonly DateTimeOffset _start;
        private double _seconds;

        public Process(Random random, double perHour, DateTimeOffset start)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(perHour);
            _random = random;
            _perSecond = perHour / 3600;
            _start = start;
            Advance();
        }

        public DateTimeOffset Next { get; private set; }

        public void Advance()
        {
            if (_perSecond <= 0)
            {
                Next = DateTimeOffset.MaxValue;
                return;
            }

            _seconds += -Math.Log(1 - _random.NextDouble()) / _perSecond;
            var offset = _seconds * TimeSpan.TicksPerSecond;
            var room = DateTimeOffset.MaxValue.UtcTicks - _start.UtcTicks - TimeSpan.TicksPerMillisecond;
            if (offset >= room)
            {
                Next = DateTimeOffset.MaxValue;
                return;
            }

            var ticks = _start.UtcTicks + (long)Math.Round(offset);
            var remainder = ticks % TimeSpan.TicksPerMillisecond;
            Next = new DateTimeOffset(remainder == 0 ? ticks : ticks - remainder + TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        }
    }
}
