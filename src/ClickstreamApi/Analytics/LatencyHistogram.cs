using HdrHistogram;

namespace ClickstreamApi.Analytics;

/// <summary>End-to-end latency percentiles of one view, in milliseconds (all 0 when <see cref="Count"/> is 0).</summary>
public sealed record LatencyStats(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static readonly LatencyStats Empty = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>End-to-end latency since start and over the last minute, at one moment.</summary>
/// <param name="SinceStart">Every event since the structure was created.</param>
/// <param name="Last60s">Events consumed in the last minute (plus the part of the current 10-second interval elapsed so far).</param>
/// <param name="ClampedBelowZero">Events consumed before they occurred (producer clock ahead), recorded as 0; since start.</param>
/// <param name="ClampedAboveMax">Events older than an hour when consumed, recorded as one hour; since start.</param>
public sealed record LatencySnapshot(LatencyStats SinceStart, LatencyStats Last60s, long ClampedBelowZero, long ClampedAboveMax);

/// <summary>
/// End-to-end latency, from <c>occurredAt</c> to consumption, in HdrHistograms: microseconds from
/// 1 µs to one hour at 3 significant digits (so percentiles are within 0.1 %), recorded in
/// constant time and fixed memory (about 190 KB per histogram). Values outside that range are
/// clamped and counted rather than thrown. The rolling view keeps one histogram per 10-second
/// interval of consumption time in a ring of 7 (the interval being filled plus 6 complete ones)
/// and merges them on snapshot. Single-threaded: the consumer thread records and takes snapshots.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The largest latency tracked: one hour, in microseconds.</summary>
    public const long HighestTrackableMicroseconds = 3_600_000_000;

    private const int SignificantDigits = 3;
    private const int Slots = 7;

    private readonly LongHistogram _sinceStart = NewHistogram();
    private readonly LongHistogram _scratch = NewHistogram();
    private readonly TimeBuckets<LongHistogram> _intervals = new(Slots, TimeSpan.FromSeconds(10), NewHistogram, static histogram => histogram.Reset());
    private long _clampedBelowZero;
    private long _clampedAboveMax;

    /// <summary>Records the latency of one event that occurred at <paramref name="occurredAt"/> and was consumed at <paramref name="consumedAt"/>.</summary>
    public void Record(DateTimeOffset occurredAt, DateTimeOffset consumedAt)
    {
        var micros = (consumedAt.UtcTicks - occurredAt.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        if (micros < 0)
        {
            micros = 0;
            _clampedBelowZero++;
        }
        else if (micros > HighestTrackableMicroseconds)
        {
            micros = HighestTrackableMicroseconds;
            _clampedAboveMax++;
        }

        _sinceStart.RecordValue(micros);

        // Null when consumption time goes back over a minute: too old for the rolling view.
        _intervals.For(consumedAt)?.RecordValue(micros);
    }

    /// <summary>The percentiles of both views as of <paramref name="now"/>.</summary>
    public LatencySnapshot Snapshot(DateTimeOffset now)
    {
        var current = _intervals.BucketOf(now);
        _scratch.Reset();
        foreach (var interval in _intervals.ByAge(current, 0, Slots))
        {
            _scratch.Add(interval.Item);
        }

        return new LatencySnapshot(Stats(_sinceStart), Stats(_scratch), _clampedBelowZero, _clampedAboveMax);
    }

    private static LatencyStats Stats(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return LatencyStats.Empty;
        }

        return new LatencyStats(
            histogram.TotalCount,
            Milliseconds(histogram.GetValueAtPercentile(50)),
            Milliseconds(histogram.GetValueAtPercentile(90)),
            Milliseconds(histogram.GetValueAtPercentile(99)),
            Milliseconds(histogram.GetValueAtPercentile(99.9)),
            Milliseconds(histogram.GetMaxValue()),
            histogram.GetMean() / 1_000);
    }

    private static double Milliseconds(long micros) => micros / 1_000.0;

    private static LongHistogram NewHistogram() => new(1, HighestTrackableMicroseconds, SignificantDigits);
}
