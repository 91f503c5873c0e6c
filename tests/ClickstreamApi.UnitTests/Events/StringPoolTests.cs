using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ClickstreamApi.Api;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.UnitTests.Events;

public sealed class StringPoolTests
{
    private static readonly ClickEvent Sample = new()
    {
        EventId = Guid.Parse("0195c8a4-5d4e-7c1a-9f00-0123456789ab"),
        Seq = 7,
        RunId = "run-1",
        UserId = "42",
        SessionId = "s-1",
        EventType = "page_view",
        Page = "/product/12",
        Referrer = "https://www.google.com/",
        Device = "mobile",
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64)",
        OccurredAt = new DateTimeOffset(2026, 11, 24, 21, 18, 0, 123, TimeSpan.Zero),
    };

    [Fact]
    public void Repeated_values_come_back_as_one_shared_string()
    {
        var pool = new Utf8StringPool();
        using var serializer = new ClickEventSerializer();
        var bytes = serializer.Serialize(Sample).ToArray();

        Assert.True(ClickEventReader.TryRead(bytes, pool, out var first, out _));
        Assert.True(ClickEventReader.TryRead(bytes, pool, out var second, out _));

        Assert.Equal(Sample, first);
        Assert.Same(first.UserAgent, second.UserAgent);
        Assert.Same(first.Page, second.Page);
        Assert.Same(first.RunId, second.RunId);
        Assert.Same(first.Referrer, second.Referrer);
        // Session and user ids have too many distinct values for a cache-sized table: decoded every
        // time rather than churning it.
        Assert.NotSame(first.SessionId, second.SessionId);
        Assert.NotSame(first.UserId, second.UserId);
        Assert.True(pool.Hits >= 4, $"hits {pool.Hits}");
    }

    [Fact]
    public void Escaped_values_are_unescaped_not_pooled_as_raw_bytes()
    {
        var pool = new Utf8StringPool();
        var json = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"u","eventType":"click","page":"\u003cimg src=x onerror=alert(1)\u003e","occurredAt":"2026-11-24T21:18:00Z"}""";

        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), pool, out var read, out var rejection), rejection.Detail);

        Assert.Equal("<img src=x onerror=alert(1)>", read.Page);
    }

    [Fact]
    public void The_table_stays_bounded_whatever_the_values()
    {
        var pool = new Utf8StringPool(capacity: 16, maxValueBytes: 8);

        for (var i = 0; i < 1000; i++)
        {
            var value = $"v{i}";
            Assert.Equal(value, pool.GetOrAdd(Encoding.UTF8.GetBytes(value)));
        }

        Assert.Equal("a-value-longer-than-8", pool.GetOrAdd("a-value-longer-than-8"u8));
        Assert.Equal(1001, pool.Misses + pool.Hits);
    }

    [Fact]
    public void Cached_event_json_is_what_the_serializer_writes_with_html_escaped()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<JsonOptions>>();
        var buffer = new RingBuffer<ConsumedEvent>(4);
        var json = new EventJson(options, buffer);
        var consumed = new ConsumedEvent(Sample with { Page = "/a<b>&c" }, partition: 3, offset: 99, Sample.OccurredAt) { Sequence = 1 };
        buffer.Append(consumed);

        var first = json.Utf8(consumed).ToArray();
        var second = json.Utf8(consumed);

        var expected = JsonSerializer.SerializeToElement(consumed, options.Value.SerializerOptions);
        Assert.True(JsonElement.DeepEquals(expected, JsonDocument.Parse(first).RootElement), Encoding.UTF8.GetString(first));
        Assert.True(second.SequenceEqual(first));
        // Serialized once: the second read is the buffer entry's bytes, not a new copy.
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(second), ref MemoryMarshal.GetReference(json.Utf8(consumed))));
        // Text from the topic is data: HTML-sensitive characters are escaped even inside JSON.
        Assert.DoesNotContain("<", Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }
}
