using ClickstreamApi.Generation;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class RateMeterTests
{
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_new_meter_reads_zero()
    {
        var meter = new RateMeter(_time);

        Assert.Equal(0, meter.LastSecond);
        Assert.Equal(0, meter.Last10Seconds);
    }

    [Fact]
    public void Steady_recording_reads_the_recorded_rate()
    {
        var meter = new RateMeter(_time);

        // 5 events every 2 ms: 2,500 events/s.
        Record(meter, 5, TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(12));

        Assert.Equal(2_500, meter.LastSecond);
        Assert.Equal(2_500, meter.Last10Seconds);
    }

    [Fact]
    public void Early_readings_divide_by_the_time_elapsed_so_far()
    {
        var meter = new RateMeter(_time);

        Record(meter, 1, Millisecond, TimeSpan.FromMilliseconds(300));

        Assert.Equal(1_000, meter.LastSecond);
        Assert.Equal(1_000, meter.Last10Seconds);

        Record(meter, 1, Millisecond, TimeSpan.FromSeconds(3));

        Assert.Equal(1_000, meter.LastSecond);
        Assert.Equal(1_000, meter.Last10Seconds);
    }

    [Fact]
    public void A_rate_change_shows_in_the_last_second_before_the_last_ten()
    {
        var meter = new RateMeter(_time);
        Record(meter, 1, Millisecond, TimeSpan.FromSeconds(10));

        Record(meter, 3, Millisecond, TimeSpan.FromSeconds(2));

        Assert.Equal(3_000, meter.LastSecond);
        Assert.Equal(1_400, meter.Last10Seconds);
    }

    [Fact]
    public void Readings_fall_to_zero_once_recording_stops_for_a_whole_window()
    {
        var meter = new RateMeter(_time);
        Record(meter, 1, Millisecond, TimeSpan.FromSeconds(15));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(500, meter.LastSecond);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, meter.LastSecond);
        Assert.Equal(900, meter.Last10Seconds);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, meter.Last10Seconds);
    }

    [Fact]
    public void Buckets_left_from_before_a_long_pause_are_not_counted_again()
    {
        var meter = new RateMeter(_time);
        Record(meter, 1, Millisecond, TimeSpan.FromSeconds(3));

        // 12.8 s is exactly once round the ring of buckets: old slots line up with new intervals.
        _time.Advance(TimeSpan.FromSeconds(12.8));
        Record(meter, 2, Millisecond, TimeSpan.FromMilliseconds(500));

        Assert.Equal(1_000, meter.LastSecond);
        Assert.Equal(100, meter.Last10Seconds);
    }

    [Fact]
    public async Task Readers_on_other_threads_see_consistent_values_while_one_thread_records()
    {
        var meter = new RateMeter(_time);
        Record(meter, 1, Millisecond, TimeSpan.FromSeconds(10));
        using var done = new CancellationTokenSource();

        var readers = new Task<(int Reads, int Bad)>[3];
        for (var r = 0; r < readers.Length; r++)
        {
            readers[r] = Task.Run(() =>
            {
                var reads = 0;
                var bad = 0;
                while (!done.IsCancellationRequested)
                {
                    // A complete bucket never holds more than the 100 events recorded in it; a reader
                    // far behind the writer may find a reused bucket and read less, never more.
                    foreach (var rate in new[] { meter.LastSecond, meter.Last10Seconds })
                    {
                        reads++;
                        if (!double.IsFinite(rate) || rate < 0 || rate > 1_000)
                        {
                            bad++;
                        }
                    }
                }

                return (reads, bad);
            }, TestContext.Current.CancellationToken);
        }

        await Task.Run(() => Record(meter, 1, Millisecond, TimeSpan.FromSeconds(60)), TestContext.Current.CancellationToken);
        await Task.Delay(20, TestContext.Current.CancellationToken);
        await done.CancelAsync();

        foreach (var reader in readers)
        {
            var (reads, bad) = await reader;
            Assert.True(reads > 0);
            Assert.Equal(0, bad);
        }

        Assert.Equal(1_000, meter.LastSecond);
        Assert.Equal(1_000, meter.Last10Seconds);
    }

    [Fact]
    public void Recording_and_reading_do_not_allocate()
    {
        var meter = new RateMeter(_time);
        // A pass is 4,000 ms of recording and reading; only what every pass allocates counts.
        var allocated = Allocations.LeastPerPass(() =>
        {
            for (var i = 0; i < 4_000; i++)
            {
                meter.Record(3);
                _ = meter.LastSecond + meter.Last10Seconds;
                _time.Advance(Millisecond);
            }
        });

        Assert.Equal(0, allocated);
    }

    /// <summary>Records <paramref name="count"/> events, then waits <paramref name="every"/>, for <paramref name="duration"/>.</summary>
    private void Record(RateMeter meter, long count, TimeSpan every, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += every)
        {
            meter.Record(count);
            _time.Advance(every);
        }
    }
}
