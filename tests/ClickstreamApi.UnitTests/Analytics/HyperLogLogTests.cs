using System.Globalization;
using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class HyperLogLogTests
{
    [Fact]
    public void An_empty_sketch_estimates_zero()
    {
        Assert.Equal(0, new HyperLogLog().Estimate());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Distinct_ids_are_estimated_within_five_percent(int distinct)
    {
        // The generator's user ids are decimal numbers from 1.
        var sketch = new HyperLogLog();
        for (var i = 1; i <= distinct; i++)
        {
            sketch.Add(i.ToString(CultureInfo.InvariantCulture));
        }

        AssertWithin(0.05, distinct, sketch.Estimate());
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(10_000)]
    [InlineData(20_000)]
    [InlineData(1_000_000)]
    public void Uuid_ids_are_estimated_within_five_percent_across_the_range(int distinct)
    {
        // Around 2.5 × 4096 the estimator switches from linear counting to the harmonic mean.
        var random = new Random(distinct);
        var sketch = new HyperLogLog();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < distinct; i++)
        {
            random.NextBytes(bytes);
            sketch.Add(new Guid(bytes).ToString());
        }

        AssertWithin(0.05, distinct, sketch.Estimate());
    }

    [Fact]
    public void Repeated_ids_do_not_increase_the_estimate()
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < 5_000; i++)
        {
            sketch.Add($"u-{i}");
        }

        var once = sketch.Estimate();
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 5_000; i++)
            {
                sketch.Add($"u-{i}");
            }
        }

        Assert.Equal(once, sketch.Estimate());
    }

    [Fact]
    public void A_merge_counts_the_union_exactly_as_one_sketch_would()
    {
        var first = new HyperLogLog();
        var second = new HyperLogLog();
        var both = new HyperLogLog();
        for (var i = 0; i < 60_000; i++)
        {
            first.Add($"u-{i}");
            both.Add($"u-{i}");
        }

        for (var i = 40_000; i < 100_000; i++)
        {
            second.Add($"u-{i}");
            both.Add($"u-{i}");
        }

        first.Merge(second);

        Assert.Equal(both.Estimate(), first.Estimate());
        AssertWithin(0.05, 100_000, first.Estimate());
    }

    [Fact]
    public void Clearing_forgets_everything()
    {
        var sketch = new HyperLogLog();
        sketch.Add("someone");

        sketch.Clear();

        Assert.Equal(0, sketch.Estimate());
    }

    [Fact]
    public void The_standard_error_is_the_textbook_value_for_4096_registers()
    {
        var textbook = 1.04 / Math.Sqrt(HyperLogLog.RegisterCount);

        Assert.Equal(0.01625, textbook, 12);
        Assert.Equal(textbook, new ActiveUsers().Snapshot(DateTimeOffset.UnixEpoch).StandardError, 12);
    }

    [Fact]
    public void Adding_does_not_allocate()
    {
        var sketch = new HyperLogLog();
        var ids = Enumerable.Range(0, 1_000).Select(i => $"user-{i}").ToArray();

        // The first pass warms up (one-off type set-up is not the per-event cost); the second is measured.
        AddMany(sketch, ids);
        Assert.Equal(0, Allocations.LeastPerPass(() => AddMany(sketch, ids)));

        static void AddMany(HyperLogLog sketch, string[] ids)
        {
            for (var i = 0; i < 100_000; i++)
            {
                sketch.Add(ids[i % ids.Length]);
            }
        }
    }

    internal static void AssertWithin(double tolerance, long expected, long actual) =>
        Assert.True(
            Math.Abs(actual - expected) <= tolerance * expected,
            $"Estimate {actual} is more than {tolerance:P0} from {expected}.");
}
