using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Generation.Model;

public sealed class UuidV7Tests
{
    private static readonly DateTimeOffset Moment = new(2026, 11, 24, 21, 18, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Ids_are_version_7_with_the_rfc_variant()
    {
        var id = new UuidV7().Create(Moment);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
    }

    [Fact]
    public void The_first_48_bits_are_the_unix_milliseconds_as_in_the_runtime_own_uuidv7()
    {
        var ours = new UuidV7().Create(Moment).ToString("N")[..12];
        var runtime = Guid.CreateVersion7(Moment).ToString("N")[..12];

        Assert.Equal(runtime, ours);
        Assert.Equal(Moment.ToUnixTimeMilliseconds(), Convert.ToInt64(ours, 16));
    }

    [Fact]
    public void Ids_sort_by_time()
    {
        var factory = new UuidV7();
        var earlier = factory.Create(Moment);
        var later = factory.Create(Moment.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }

    [Fact]
    public void A_million_ids_in_the_same_millisecond_are_all_different()
    {
        var factory = new UuidV7();
        var ids = new HashSet<Guid>();

        for (var i = 0; i < 1_000_000; i++)
        {
            Assert.True(ids.Add(factory.Create(Moment)));
        }
    }

    [Fact]
    public void Two_generators_do_not_repeat_each_other()
    {
        var first = new UuidV7();
        var second = new UuidV7();

        Assert.NotEqual(first.Create(Moment), second.Create(Moment));
    }
}
