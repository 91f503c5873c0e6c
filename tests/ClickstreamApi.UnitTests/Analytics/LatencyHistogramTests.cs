using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class LatencyHistogramTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_recorded_reads_zero()
    {
        var snapshot = new LatencyHistogram().Snapshot(T0);

        Assert.Equal(LatencyStats.Empty, snapshot.SinceStart);
        Assert.Equal(LatencyStats.Empty, snapshot.Last60s);
    }

    [Fact]
    public void Percentiles_of_a_known_distribution_are_within_the_histogram_precision()
    {
        var latency = new LatencyHistogram();

        // 1 ms to 10 s in 1 ms steps, each once.
        for (var ms = 1; ms <= 10_000; ms++)
        {
            latency.Record(T0, T0 + TimeSpan.FromMilliseconds(ms));
        }

        var stats = latency.Snapshot(T0).SinceStart;

        Assert.Equal(10_000, stats.Count);
        AssertClose(5_000, stats.P50);
        AssertClose(9_000, stats.P90);
        AssertClose(9_900, stats.P99);
        AssertClose(9_990, stats.P999);
        AssertClose(10_000, stats.Max);
        AssertClose(5_000.5, stats.Mean);
    }

    [Fact]
    public void Sub_millisecond_latencies_keep_microsecond_resolution()
    {
        var latency = new LatencyHistogram();

        latency.Record(T0, T0 + TimeSpan.FromMicroseconds(250));

        Assert.Equal(0.25, latency.Snapshot(T0).SinceStart.P50);
    }

    [Fact]
    public void Latencies_below_zero_and_above_an_hour_are_clamped_and_counted()
    {
        var latency = new LatencyHistogram();

        latency.Record(T0 + TimeSpan.FromSeconds(3), T0);
        latency.Record(T0 - TimeSpan.FromDays(2), T0);
        latency.Record(T0 - TimeSpan.FromMilliseconds(5), T0);

        var snapshot = latency.Snapshot(T0);
        Assert.Equal(1, snapshot.ClampedBelowZero);
        Assert.Equal(1, snapshot.ClampedAboveMax);
        Assert.Equal(3, snapshot.SinceStart.Count);
        AssertClose(3_600_000, snapshot.SinceStart.Max);
        AssertClose(5, snapshot.SinceStart.P50);
    }

    [Fact]
    public void The_last_minute_forgets_what_the_since_start_view_keeps()
    {
        var latency = new LatencyHistogram();
        for (var i = 0; i < 1_000; i++)
        {
            latency.Record(T0, T0 + TimeSpan.FromMilliseconds(500));
        }

        for (var i = 0; i < 100; i++)
        {
            var consumedAt = T0 + TimeSpan.FromSeconds(120) + TimeSpan.FromMilliseconds(i);
            latency.Record(consumedAt - TimeSpan.FromMilliseconds(20), consumedAt);
        }

        var snapshot = latency.Snapshot(T0 + TimeSpan.FromSeconds(125));

        Assert.Equal(1_100, snapshot.SinceStart.Count);
        AssertClose(500, snapshot.SinceStart.P50);
        Assert.Equal(100, snapshot.Last60s.Count);
        AssertClose(20, snapshot.Last60s.P50);
        AssertClose(20, snapshot.Last60s.Max);

        // The 500 ms events, consumed at T0, are still in the rolling view 65 s later (the interval
        // being filled plus six complete ones), and gone 70 s later.
        Assert.Equal(1_000, latency.Snapshot(T0 + TimeSpan.FromSeconds(65)).Last60s.Count);
        Assert.Equal(0, latency.Snapshot(T0 + TimeSpan.FromSeconds(70)).Last60s.Count);
    }

    [Fact]
    public void Intervals_are_reused_without_counting_old_values_again()
    {
        var latency = new LatencyHistogram();
        for (var second = 0; second < 600; second++)
        {
            latency.Record(T0 + TimeSpan.FromSeconds(second), T0 + TimeSpan.FromSeconds(second) + TimeSpan.FromMilliseconds(second));
        }

        var snapshot = latency.Snapshot(T0 + TimeSpan.FromSeconds(599));

        // Seconds 530 to 599 are in the seven intervals of the rolling view.
        Assert.Equal(70, snapshot.Last60s.Count);
        AssertClose(599, snapshot.Last60s.Max);
        Assert.Equal(600, snapshot.SinceStart.Count);
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var latency = new LatencyHistogram();
        var at = T0;

        // Warm up every path first (interval reuse, clamping), so one-off type set-up is not counted.
        RecordMany(latency, ref at);

        Assert.Equal(0, Allocations.LeastPerPass(() => RecordMany(latency, ref at)));

        static void RecordMany(LatencyHistogram latency, ref DateTimeOffset at)
        {
            for (var i = 0; i < 100_000; i++)
            {
                latency.Record(at - TimeSpan.FromMicroseconds((i * 37 % 5_000_000) - 1_000), at);
                at += TimeSpan.FromMilliseconds(1);
            }

            latency.Record(at - TimeSpan.FromHours(2), at);
        }
    }

    /// <summary>Three significant digits: within 0.1 %.</summary>
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= expected * 0.001, $"{actual} is not within 0.1 % of {expected}.");
}
