using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

/// <summary>
/// The sketches fleet members publish: two consumers that each saw part of a stream merge into what one
/// consumer that saw all of it would say, for distinct users (HyperLogLog registers) and latency (HdrHistograms).
/// </summary>
public sealed class SketchMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Registers_of_two_halves_merge_into_exactly_the_sketch_of_the_whole()
    {
        var whole = new HyperLogLog();
        var even = new HyperLogLog();
        var odd = new HyperLogLog();
        for (var user = 0; user < 50_000; user++)
        {
            var id = "user-" + user;
            whole.Add(id);
            (user % 2 == 0 ? even : odd).Add(id);
        }

        var merged = new HyperLogLog();
        merged.Merge(even.ToRegisters());
        merged.Merge(odd.ToRegisters());

        Assert.Equal(whole.ToRegisters(), merged.ToRegisters());
        Assert.Equal(whole.Estimate(), merged.Estimate());
        Assert.InRange(merged.Estimate(), 50_000 * (1 - (4 * HyperLogLog.StandardError)), 50_000 * (1 + (4 * HyperLogLog.StandardError)));
    }

    [Fact]
    public void Registers_of_the_wrong_size_or_rank_are_refused()
    {
        var sketch = new HyperLogLog();
        Assert.Throws<FormatException>(() => sketch.Merge(new byte[100]));
        var tooHigh = new byte[HyperLogLog.RegisterCount];
        tooHigh[7] = HyperLogLog.MaxRank + 1;
        Assert.Throws<FormatException>(() => sketch.Merge(tooHigh));
    }

    [Fact]
    public void Active_users_sketches_of_two_consumers_estimate_the_users_of_both()
    {
        var first = new ActiveUsers();
        var second = new ActiveUsers();
        for (var user = 0; user < 3_000; user++)
        {
            // The first consumer's users the whole time, the second's two minutes ago only: outside the last minute.
            first.Record("u" + user, T0);
            second.Record("v" + user, T0 - TimeSpan.FromMinutes(2));
        }

        first.Snapshot(T0, out var a);
        second.Snapshot(T0, out var b);
        var last1m = new HyperLogLog();
        last1m.Merge(a.Last1m);
        last1m.Merge(b.Last1m);
        var last5m = new HyperLogLog();
        last5m.Merge(a.Last5m);
        last5m.Merge(b.Last5m);

        Assert.Equal(first.Snapshot(T0).Last1m, last1m.Estimate());
        Assert.InRange(last5m.Estimate(), 5_800, 6_200);
    }

    [Fact]
    public void Latency_histograms_of_two_consumers_add_up_to_the_percentiles_of_the_whole()
    {
        var whole = new LatencyHistogram();
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var ms = 1; ms <= 10_000; ms++)
        {
            var consumedAt = T0 + TimeSpan.FromMilliseconds(ms);
            whole.Record(T0, consumedAt);
            (ms <= 5_000 ? fast : slow).Record(T0, consumedAt);
        }

        var sinceStart = LatencyHistogram.Empty();
        var last60s = LatencyHistogram.Empty();
        foreach (var sketch in new[] { SketchOf(fast), SketchOf(slow) })
        {
            sinceStart.Add(LatencyHistogram.Decode(sketch.SinceStart));
            last60s.Add(LatencyHistogram.Decode(sketch.Last60s));
        }

        var expected = whole.Snapshot(T0);
        Assert.Equal(expected.SinceStart, LatencyHistogram.Stats(sinceStart));
        Assert.Equal(expected.Last60s, LatencyHistogram.Stats(last60s));
        Assert.Equal(10_000, LatencyHistogram.Stats(sinceStart).Count);

        // Sparse latencies encode small: a second's worth of a stream is a few KB, not the 190 KB in memory.
        Assert.InRange(SketchOf(fast).SinceStart.Length, 1, 16 * 1024);
    }

    [Fact]
    public void Bytes_that_are_not_a_histogram_are_refused()
    {
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([]));
    }

    [Fact]
    public void A_histogram_of_a_wider_range_is_refused_not_added()
    {
        var wider = new HdrHistogram.LongHistogram(1, LatencyHistogram.HighestTrackableMicroseconds * 10, 3);
        wider.RecordValue(LatencyHistogram.HighestTrackableMicroseconds * 5);
        var buffer = HdrHistogram.Utilities.ByteBuffer.Allocate(wider.GetNeededByteBufferCapacity());
        var bytes = new byte[HdrHistogram.HistogramEncoding.EncodeIntoCompressedByteBuffer(wider, buffer)];
        buffer.Position = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = buffer.Get();
        }

        var into = LatencyHistogram.Empty();
        Assert.Throws<FormatException>(() => into.Add(LatencyHistogram.Decode(bytes)));
        Assert.Equal(0, into.TotalCount);
    }

    [Fact]
    public void Snapshots_carry_sketches_only_when_asked()
    {
        var analytics = new StreamAnalytics(TimeProvider.System);
        Assert.Null(analytics.Latest.Sketches);
        analytics.KeepsSketches = true;
        analytics.PublishIfDue();
        Assert.NotNull(analytics.Latest.Sketches);
        Assert.Equal(HyperLogLog.RegisterCount, analytics.Latest.Sketches!.ActiveUsers.Last5m.Length);
    }

    private static LatencySketch SketchOf(LatencyHistogram latency)
    {
        latency.Snapshot(T0, out var sketch);
        return sketch;
    }
}
