using ClickstreamApi.Consumption;

namespace ClickstreamApi.UnitTests.Consumption;

public sealed class RingBufferTests
{
    private sealed record Item(long Value);

    [Fact]
    public void An_empty_buffer_returns_nothing()
    {
        var buffer = new RingBuffer<Item>(4);

        Assert.Empty(buffer.Newest(10));
        Assert.Equal(0, buffer.LastSequence);
        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.Evicted);
    }

    [Fact]
    public void Items_come_back_newest_first_with_consecutive_sequences()
    {
        var buffer = new RingBuffer<Item>(8);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, buffer.Append(new Item(i)));
        }

        Assert.Equal([5L, 4, 3, 2, 1], buffer.Newest(10).Select(entry => entry.Item.Value));
        Assert.Equal([5L, 4], buffer.Newest(2).Select(entry => entry.Item.Value));
        Assert.Equal(5, buffer.Count);
    }

    [Fact]
    public void Wrapping_around_keeps_only_the_newest_capacity_items_and_counts_evictions()
    {
        var buffer = new RingBuffer<Item>(3);
        for (var i = 1; i <= 10; i++)
        {
            buffer.Append(new Item(i));
        }

        Assert.Equal([10L, 9, 8], buffer.Newest(100).Select(entry => entry.Item.Value));
        Assert.Equal(3, buffer.Count);
        Assert.Equal(7, buffer.Evicted);
        Assert.False(buffer.TryGet(7, out _));
        Assert.True(buffer.TryGet(8, out var eighth));
        Assert.Equal(8, eighth.Item.Value);
    }

    [Fact]
    public void A_filter_scans_back_through_the_whole_buffer()
    {
        var buffer = new RingBuffer<Item>(100);
        for (var i = 1; i <= 100; i++)
        {
            buffer.Append(new Item(i));
        }

        var evens = buffer.Newest(3, item => item.Value % 2 == 0);

        Assert.Equal([100L, 98, 96], evens.Select(entry => entry.Item.Value));
        Assert.Single(buffer.Newest(10, item => item.Value == 1));
    }

    [Fact]
    public async Task Readers_running_during_writes_only_ever_see_consistent_newest_first_windows()
    {
        // The item's value equals its sequence, so a reader can check every item it gets.
        var buffer = new RingBuffer<Item>(64);
        const int Writes = 200_000;
        using var done = new CancellationTokenSource();
        var failures = 0L;
        var reads = 0L;

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var window = buffer.Newest(64);
                for (var i = 1; i < window.Count; i++)
                {
                    if (window[i].Item.Value != window[i - 1].Item.Value - 1)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                if (window.Count > 0 && window[0].Item.Value > buffer.LastSequence)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        for (long i = 1; i <= Writes; i++)
        {
            buffer.Append(new Item(i));
        }

        // Let every reader finish at least a few passes over the final state too.
        SpinWait.SpinUntil(() => Interlocked.Read(ref reads) > 100, TimeSpan.FromSeconds(30));
        done.Cancel();
        await Task.WhenAll(readers);

        Assert.Equal(0, failures);
        Assert.Equal([(long)Writes, Writes - 1], buffer.Newest(2).Select(entry => entry.Item.Value));
    }

    [Fact]
    public void Capacity_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer<Item>(0));
}
