namespace ClickstreamApi.Analytics;

/// <summary>Estimated distinct users, at one moment.</summary>
/// <param name="Last1m">Distinct users in the last minute (plus the part of the current 10-second bucket elapsed so far).</param>
/// <param name="Last5m">Distinct users in the last five minutes (likewise).</param>
/// <param name="StandardError">Relative standard error of the estimates (about 0.016).</param>
/// <param name="Stale">Events recorded with a time older than the five-minute window, not counted; since start.</param>
public sealed record ActiveUsersSnapshot(long Last1m, long Last5m, double StandardError, long Stale);

/// <summary>
/// The sketches behind <see cref="ActiveUsersSnapshot"/>: the HyperLogLog registers of each window
/// (<see cref="HyperLogLog.RegisterCount"/> bytes each). Consumers reading different partitions merge
/// them register by register into the distinct users of the whole stream, with the same error.
/// </summary>
/// <param name="Last1m">Registers of the last minute's sketch.</param>
/// <param name="Last5m">Registers of the last five minutes' sketch.</param>
public sealed record ActiveUsersSketch(byte[] Last1m, byte[] Last5m);

/// <summary>
/// Distinct users over the last one and five minutes of processing time, estimated with one
/// <see cref="HyperLogLog"/> per 10-second bucket in a ring of 31 (the bucket being filled plus
/// 30 complete ones): 31 × 4 KB however many users there are. A snapshot merges the buckets
/// inside each window into a scratch sketch, since distinct counts cannot be added up.
/// Single-threaded: the consumer thread records and takes snapshots.
/// </summary>
public sealed class ActiveUsers
{
    private const int ShortBuckets = 7;
    private const int Slots = 31;

    private readonly TimeBuckets<HyperLogLog> _buckets = new(Slots, TimeSpan.FromSeconds(10), static () => new HyperLogLog(), static sketch => sketch.Clear());
    private readonly HyperLogLog _scratch = new();
    private long _stale;

    /// <summary>Counts <paramref name="userId"/> as active at <paramref name="at"/>.</summary>
    public void Record(string userId, DateTimeOffset at)
    {
        if (_buckets.For(at) is { } sketch)
        {
            sketch.Add(userId);
        }
        else
        {
            _stale++;
        }
    }

    /// <summary>The estimates as of <paramref name="now"/>.</summary>
    public ActiveUsersSnapshot Snapshot(DateTimeOffset now) => Snapshot(now, withSketch: false, out _);

    /// <summary>The estimates as of <paramref name="now"/> and the registers behind them, to be merged elsewhere: one pass over the buckets for both.</summary>
    public ActiveUsersSnapshot Snapshot(DateTimeOffset now, out ActiveUsersSketch sketch)
    {
        var snapshot = Snapshot(now, withSketch: true, out var registers);
        sketch = registers!;
        return snapshot;
    }

    private ActiveUsersSnapshot Snapshot(DateTimeOffset now, bool withSketch, out ActiveUsersSketch? sketch)
    {
        var current = _buckets.BucketOf(now);
        _scratch.Clear();

        // The long window contains the short one, so one scratch sketch answers both in turn.
        MergeAged(current, 0, ShortBuckets);
        var last1m = _scratch.Estimate();
        var registers1m = withSketch ? _scratch.ToRegisters() : null;
        MergeAged(current, ShortBuckets, Slots);
        sketch = withSketch ? new ActiveUsersSketch(registers1m!, _scratch.ToRegisters()) : null;
        return new ActiveUsersSnapshot(last1m, _scratch.Estimate(), HyperLogLog.StandardError, _stale);
    }

    private void MergeAged(long current, int fromAge, int toAge)
    {
        foreach (var bucket in _buckets.ByAge(current, fromAge, toAge))
        {
            _scratch.Merge(bucket.Item);
        }
    }
}
