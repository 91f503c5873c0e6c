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

        Assert.Equal([5L, 4, 3, 2, 1], buffer.Newest(10).Select(item => item.Value));
        Assert.Equal([5L, 4], buffer.Newest(2).Select(item => item.Value));
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

        Assert.Equal([10L, 9, 8], buffer.Newest(100).Select(item => item.Value));
        Assert.Equal(3, buffer.Count);
        Assert.Equal(7, buffer.Evicted);
        Assert.False(buffer.TryGet(7, out _));
        Assert.True(buffer.TryGet(8, out var eighth));
        Assert.Equal(8, eighth!.Value);
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

        Assert.Equal([100L, 98, 96], evens.Select(item => item.Value));
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
                    if (window[i].Value != window[i - 1].Value - 1)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                if (window.Count > 0 && window[0].Value > buffer.LastSequence)
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
        Assert.True(SpinWait.SpinUntil(() => Interlocked.Read(ref reads) > 100, TimeSpan.FromSeconds(30)), "the readers made fewer than 100 passes in 30 s");
        done.Cancel();
        await Task.WhenAll(readers);

        Assert.Equal(0, failures);
        Assert.Equal([(long)Writes, Writes - 1], buffer.Newest(2).Select(item => item.Value));
    }

    [Fact]
    public void An_items_serialized_form_is_made_once_and_shared_while_the_buffer_holds_it()
    {
        var buffer = new RingBuffer<Item>(4);
        var item = new Item(1);
        buffer.Append(item);
        var made = 0;
        byte[] Serialize(Item i)
        {
            made++;
            return [(byte)i.Value];
        }

        var first = buffer.GetOrAddSerialized(1, item, Serialize);
        var second = buffer.GetOrAddSerialized(1, item, Serialize);

        Assert.Same(first, second);
        Assert.Equal(1, made);
    }

    [Fact]
    public void An_evicted_items_bytes_are_not_kept_or_served_for_the_item_that_replaced_it()
    {
        var buffer = new RingBuffer<Item>(2);
        var (first, second, third) = (new Item(1), new Item(2), new Item(3));
        static byte[] Serialize(Item i) => [(byte)i.Value];
        buffer.Append(first);
        buffer.GetOrAddSerialized(1, first, Serialize);
        buffer.Append(second);
        buffer.Append(third);

        // The third item took the first one's slot: its bytes, not the first's.
        Assert.Equal([3], buffer.GetOrAddSerialized(3, third, Serialize));
        // A reader still holding the evicted item gets its bytes, made afresh and not kept over the third's.
        Assert.Equal([1], buffer.GetOrAddSerialized(1, first, Serialize));
        Assert.Equal([3], buffer.GetOrAddSerialized(3, third, Serialize));
        Assert.NotSame(buffer.GetOrAddSerialized(1, first, Serialize), buffer.GetOrAddSerialized(1, first, Serialize));
    }

    [Fact]
    public void Bytes_are_not_kept_for_an_item_the_buffer_holds_under_another_sequence()
    {
        var buffer = new RingBuffer<Item>(4);
        var item = new Item(1);
        buffer.Append(item);
        static byte[] Serialize(Item i) => [(byte)i.Value];

        var stranger = buffer.GetOrAddSerialized(1, new Item(9), Serialize);

        Assert.Equal([9], stranger);
        Assert.Equal([1], buffer.GetOrAddSerialized(1, item, Serialize));
    }

    [Fact]
    public void Capacity_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer<Item>(0));
}
