using HdrHistogram;

namespace ClickstreamApi.Analytics;

/// <summary>End-to-end latency percentiles of one view, in milliseconds (all 0 when <see cref="Count"/> is 0).</summary>
public sealed record LatencyStats(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static readonly LatencyStats Empty = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>End-to-end latency since start and over the last minute, at one moment.</summary>
/// <param name="SinceStart">Every event recorded since the service started.</param>
/// <param name="Last60s">Events consumed in the last minute (plus the part of the current 10-second interval elapsed so far).</param>
/// <param name="ClampedBelowZero">Events consumed before the time measured from (a clock ahead), recorded as 0; since start.</param>
/// <param name="ClampedAboveMax">Events consumed more than an hour after the time measured from, recorded as one hour; since start.</param>
public sealed record LatencySnapshot(LatencyStats SinceStart, LatencyStats Last60s, long ClampedBelowZero, long ClampedAboveMax);

/// <summary>
/// End-to-end latency of the consumed events, measured two ways, at one moment. The first four
/// figures are from <c>occurredAt</c>, as they always were; <see cref="FromScheduled"/> is from the
/// time the event was due to be sent.
/// </summary>
/// <param name="SinceStart">From <c>occurredAt</c> to consumption: every event consumed since start.</param>
/// <param name="Last60s">From <c>occurredAt</c> to consumption: events consumed in the last minute (plus the part of the current 10-second interval elapsed so far).</param>
/// <param name="ClampedBelowZero">From <c>occurredAt</c>: events consumed before they occurred (producer clock ahead, or a simulated clock ahead of the wall clock), recorded as 0; since start.</param>
/// <param name="ClampedAboveMax">From <c>occurredAt</c>: events older than an hour when consumed (late faults, simulated clocks in the past), recorded as one hour; since start.</param>
/// <param name="FromScheduled">
/// From the time each event was due to be sent on its run's schedule, on the wall clock, to
/// consumption, in the same views: latency without coordinated omission. On the wall clock the
/// generator stamps <c>occurredAt</c> when it makes the event, so when it falls behind its schedule
/// (Kafka pushing back, a busy machine) latency from <c>occurredAt</c> leaves out how late the event
/// was made; this one includes it, and is never less than it for the same wall-clock events (the late
/// fault's moved-back <c>occurredAt</c> aside). On a simulated clock at a speed the due time is where
/// the event's simulated time falls on the wall clock. Only events of this instance's generator, found
/// by run and seq; events the schedule skipped (<c>skippedEvents</c>) were never sent and are in neither.
/// </param>
/// <param name="WithoutScheduledTime">
/// Consumed events since start that have no scheduled time and are not in <see cref="FromScheduled"/>:
/// events of a simulated run as fast as possible (it has no schedule on the wall clock), of another
/// producer or instance, of a run from before this process started or no longer among its last four
/// (a topic read again), and events whose entry was overwritten because 2^19 or more later events of
/// their run had been made before they were consumed. Never guessed.
/// </param>
public sealed record EndToEndLatency(
    LatencyStats SinceStart,
    LatencyStats Last60s,
    long ClampedBelowZero,
    long ClampedAboveMax,
    LatencySnapshot FromScheduled,
    long WithoutScheduledTime)
{
    public static EndToEndLatency Of(LatencySnapshot fromOccurredAt, LatencySnapshot fromScheduled, long withoutScheduledTime) => new(
        fromOccurredAt.SinceStart,
        fromOccurredAt.Last60s,
        fromOccurredAt.ClampedBelowZero,
        fromOccurredAt.ClampedAboveMax,
        fromScheduled,
        withoutScheduledTime);
}

/// <summary>
/// The histograms behind a <see cref="LatencySnapshot"/>, in HdrHistogram's compressed V2 encoding (the one its
/// log format writes in base64, read by HdrHistogram in every language): consumers reading different
/// partitions add them up into the percentiles of the whole stream, exact to the histograms' 3 digits.
/// </summary>
/// <param name="SinceStart">Every event recorded since the service started.</param>
/// <param name="Last60s">The last minute's events.</param>
public sealed record LatencySketch(byte[] SinceStart, byte[] Last60s);

/// <summary>
/// End-to-end latency, from a time (<c>occurredAt</c>, or when the event was due) to consumption, in HdrHistograms: microseconds from
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

    /// <summary>Records the latency of one event from <paramref name="from"/> (when it occurred, or was due) to <paramref name="consumedAt"/>.</summary>
    public void Record(DateTimeOffset from, DateTimeOffset consumedAt)
    {
        var micros = (consumedAt.UtcTicks - from.UtcTicks) / TimeSpan.TicksPerMicrosecond;
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
        MergeLastMinute(now);
        return new LatencySnapshot(Stats(_sinceStart), Stats(_scratch), _clampedBelowZero, _clampedAboveMax);
    }

    /// <summary>The percentiles of both views as of <paramref name="now"/> and their histograms encoded to be added up elsewhere (<see cref="Decode"/>): one merge for both.</summary>
    public LatencySnapshot Snapshot(DateTimeOffset now, out LatencySketch sketch)
    {
        var snapshot = Snapshot(now);
        sketch = new LatencySketch(Encode(_sinceStart), Encode(_scratch));
        return snapshot;
    }

    private void MergeLastMinute(DateTimeOffset now)
    {
        var current = _intervals.BucketOf(now);
        _scratch.Reset();
        foreach (var interval in _intervals.ByAge(current, 0, Slots))
        {
            _scratch.Add(interval.Item);
        }
    }

    /// <summary>A histogram to add decoded sketches into (<see cref="Decode"/>), of the same range and precision.</summary>
    public static LongHistogram Empty() => NewHistogram();

    /// <summary>An encoded histogram (<see cref="LatencySketch"/>), checked to fit one of <see cref="Empty"/>'s range.</summary>
    /// <exception cref="FormatException">The bytes are not an HdrHistogram, or not of a range that fits.</exception>
    public static HistogramBase Decode(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        HistogramBase decoded;
        try
        {
            decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(HdrHistogram.Utilities.ByteBuffer.Allocate(encoded), 0);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new FormatException("Not an HdrHistogram in its compressed encoding: " + ex.Message, ex);
        }

        if (decoded.HighestTrackableValue > HighestTrackableMicroseconds || decoded.LowestTrackableValue < 1 || decoded.NumberOfSignificantValueDigits > SignificantDigits)
        {
            throw new FormatException($"The histogram tracks {decoded.LowestTrackableValue} to {decoded.HighestTrackableValue} µs at {decoded.NumberOfSignificantValueDigits} digits, beyond 1 to {HighestTrackableMicroseconds} µs at {SignificantDigits}.");
        }

        return decoded;
    }

    /// <summary>The percentiles of a histogram of microseconds, in milliseconds.</summary>
    public static LatencyStats Stats(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
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

    private static byte[] Encode(HistogramBase histogram)
    {
        // The library's buffer keeps its bytes to itself: they are read back one by one (a few KB, twice a second).
        var buffer = HdrHistogram.Utilities.ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var bytes = new byte[histogram.EncodeIntoCompressedByteBuffer(buffer)];
        buffer.Position = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return bytes;
    }

    private static double Milliseconds(long micros) => micros / 1_000.0;

    private static LongHistogram NewHistogram() => new(1, HighestTrackableMicroseconds, SignificantDigits);
}
