using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ClickstreamApi.Analytics;

/// <summary>One bucket of a <see cref="TimeBuckets{TBucket}"/> window: how far back it is (0 is the window's newest), its number, its contents.</summary>
internal readonly record struct AgedBucket<TBucket>(int Age, long Number, TBucket Item);

/// <summary>
/// A ring of fixed-length time buckets (10 seconds each, say) numbered from an origin, each holding a
/// <typeparamref name="TBucket"/>: bucket n lives in slot n mod <see cref="Slots"/>, and a slot is
/// cleared when a newer bucket reuses it, so a bucket stays readable until then. A time before the
/// origin, or a whole ring older than the newest bucket so far, is too old to get a bucket. Rolling
/// views ("the last minute") are built from the buckets a snapshot asks for by age (<see cref="ByAge"/>).
/// <para>
/// One thread writes (<see cref="For(long)"/>, <see cref="MoveTo"/>). Other threads may call
/// <see cref="TryGet"/>, <see cref="Holds"/> and <see cref="ByAge"/> without locks: bucket numbers
/// are written and read with <see cref="Volatile"/>, and a reused slot is marked empty before it is
/// cleared and numbered again only after. So a reader that reads a bucket's contents atomically
/// (with <see cref="Volatile"/>, as the writer and <c>clear</c> write them) and then checks
/// <see cref="Holds"/> again never takes one bucket's contents for another's.
/// </para>
/// </summary>
/// <remarks>
/// The type parameter is not called T: ArchUnitNET (the layer tests) takes generic parameters of the
/// same name in different folders for one type, which showed as a dependency from here to them.
/// </remarks>
internal sealed class TimeBuckets<TBucket>
    where TBucket : class
{
    /// <summary>The number of an empty slot, and <see cref="Newest"/> before the first bucket.</summary>
    public const long NoBucket = -1;

    private readonly long _originTicks;
    private readonly long _bucketTicks;
    private readonly long[] _numbers;
    private readonly TBucket[] _items;
    private readonly Action<TBucket> _clear;
    private readonly Action<long, long>? _advancing;

    // Slots - 1 when that is a power of two, for a mask instead of a division (RateMeter's readers
    // find 110 slots per reading); otherwise -1.
    private readonly long _mask;
    private long _newest = NoBucket;

    // The bucket the writer got last: most times fall in it, and then need neither a division nor a
    // slot lookup. Valid while set: For re-sets it whenever it reuses a slot, and MoveTo drops it
    // once it is too old.
    private long _lastBucket = NoBucket;
    private long _lastStartTicks = long.MinValue;
    private TBucket? _lastItem;

    /// <param name="slots">Buckets kept, up to and including the newest.</param>
    /// <param name="bucketLength">Length of each bucket.</param>
    /// <param name="create">Makes the contents of one slot, once per slot.</param>
    /// <param name="clear">Empties a bucket's contents for the newer bucket that reuses its slot.</param>
    /// <param name="origin">Where bucket 0 begins (by default 0001-01-01, so buckets line up with the clock).</param>
    /// <param name="advancing">
    /// Called with the old and the new newest bucket whenever the newest moves on, before any slot
    /// is reused: an owner keeping running totals takes the buckets leaving its windows off them
    /// while it can still read them.
    /// </param>
    public TimeBuckets(
        int slots,
        TimeSpan bucketLength,
        Func<TBucket> create,
        Action<TBucket> clear,
        DateTimeOffset origin = default,
        Action<long, long>? advancing = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketLength, TimeSpan.Zero);
        _originTicks = origin.UtcTicks;
        _bucketTicks = bucketLength.Ticks;
        _numbers = new long[slots];
        Array.Fill(_numbers, NoBucket);
        _items = new TBucket[slots];
        for (var i = 0; i < slots; i++)
        {
            _items[i] = create();
        }

        _clear = clear;
        _advancing = advancing;
        _mask = int.IsPow2(slots) ? slots - 1 : -1;
    }

    public int Slots => _items.Length;

    /// <summary>The newest bucket number so far (<see cref="NoBucket"/> before the first). Writer thread.</summary>
    public long Newest => _newest;

    /// <summary>The number of the bucket <paramref name="at"/> falls in (negative before the origin). Any thread.</summary>
    public long BucketOf(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - _originTicks;
        return ticks >= 0 ? ticks / _bucketTicks : ((ticks + 1) / _bucketTicks) - 1;
    }

    /// <summary>Where bucket number <paramref name="bucket"/> begins (UTC). Any thread.</summary>
    public DateTimeOffset StartOf(long bucket) => new(_originTicks + (bucket * _bucketTicks), TimeSpan.Zero);

    /// <summary>The bucket for <paramref name="at"/>, as <see cref="For(long)"/>.</summary>
    public TBucket? For(DateTimeOffset at) => For(at, out _);

    /// <summary>The bucket for <paramref name="at"/>, with its number in <paramref name="bucket"/>, as <see cref="For(long)"/>.</summary>
    public TBucket? For(DateTimeOffset at, out long bucket)
    {
        var ticks = at.UtcTicks - _originTicks;
        if ((ulong)(ticks - _lastStartTicks) < (ulong)_bucketTicks)
        {
            bucket = _lastBucket;
            return _lastItem;
        }

        bucket = BucketOf(at);
        return Claim(bucket);
    }

    /// <summary>
    /// The contents of bucket number <paramref name="bucket"/>, cleared first if its slot held an
    /// older bucket, and the bucket made the newest if it is newer; null when it is too old for the
    /// ring (before the origin, or a whole ring older than the newest).
    /// </summary>
    public TBucket? For(long bucket) => bucket == _lastBucket ? _lastItem : Claim(bucket);

    /// <summary>Makes bucket number <paramref name="bucket"/> the newest if it is newer, without using it (a snapshot moving the windows on).</summary>
    public void MoveTo(long bucket)
    {
        if (bucket > _newest)
        {
            Advance(bucket);
            if (_lastBucket <= bucket - Slots)
            {
                _lastBucket = NoBucket;
                _lastStartTicks = long.MinValue;
                _lastItem = null;
            }
        }
    }

    /// <summary>The contents of bucket number <paramref name="bucket"/>, when its slot still holds it. Any thread.</summary>
    public bool TryGet(long bucket, [NotNullWhen(true)] out TBucket? item)
    {
        if (Holds(bucket))
        {
            item = _items[Slot(bucket)];
            return true;
        }

        item = null;
        return false;
    }

    /// <summary>Whether the slot of bucket number <paramref name="bucket"/> holds it (still, for a reader that has just read it). Any thread.</summary>
    public bool Holds(long bucket) => bucket >= 0 && Volatile.Read(ref _numbers[Slot(bucket)]) == bucket;

    /// <summary>
    /// The buckets from <paramref name="fromAge"/> up to, not including, <paramref name="toAge"/>
    /// buckets back from bucket number <paramref name="newest"/>, newest first, as
    /// <see cref="TryGet"/> finds them: buckets never used, or reused since, are left out. Any thread.
    /// </summary>
    public AgeRange ByAge(long newest, int fromAge, int toAge) => new(this, newest, fromAge, toAge);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TBucket? Claim(long bucket)
    {
        if (bucket < 0 || bucket <= _newest - Slots)
        {
            return null;
        }

        if (bucket > _newest)
        {
            Advance(bucket);
        }

        var slot = Slot(bucket);
        var item = _items[slot];
        if (_numbers[slot] != bucket)
        {
            if (_numbers[slot] != NoBucket)
            {
                // The slot held a bucket at least a ring older: empty it before clearing, so no
                // reader takes the contents being cleared (or refilled) for the old bucket's.
                Volatile.Write(ref _numbers[slot], NoBucket);
                _clear(item);
            }

            Volatile.Write(ref _numbers[slot], bucket);
        }

        _lastBucket = bucket;
        _lastStartTicks = bucket * _bucketTicks;
        _lastItem = item;
        return item;
    }

    private void Advance(long bucket)
    {
        var previous = _newest;
        _newest = bucket;
        _advancing?.Invoke(previous, bucket);
    }

    private int Slot(long bucket) => (int)(_mask >= 0 ? bucket & _mask : bucket % Slots);

    /// <summary>The buckets of <see cref="ByAge"/>, for <c>foreach</c> without allocating.</summary>
    [SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "An enumerator, never compared.")]
    public struct AgeRange(TimeBuckets<TBucket> ring, long newest, int fromAge, int toAge)
    {
        private int _age = fromAge;

        public AgedBucket<TBucket> Current { get; private set; }

        public readonly AgeRange GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_age < toAge && newest - _age >= 0)
            {
                var age = _age++;
                if (ring.TryGet(newest - age, out var item))
                {
                    Current = new AgedBucket<TBucket>(age, newest - age, item);
                    return true;
                }
            }

            return false;
        }
    }
}
