using System.Text;
using System.Text.Json;
using ClickstreamApi.Events;

namespace ClickstreamApi.UnitTests.Events;

public sealed class ClickEventSerializationTests
{
    private static readonly ClickEvent Sample = new()
    {
        EventId = Guid.Parse("0195c8a4-5d4e-7c1a-9f00-0123456789ab"),
        SchemaVersion = 1,
        Seq = 42,
        RunId = "run-1",
        UserId = "42",
        SessionId = "s-1",
        EventType = "page_view",
        Page = "/search?q=desk+lamp&sort=price",
        Referrer = "https://www.google.com/",
        Device = "mobile",
        OccurredAt = new DateTimeOffset(2026, 11, 24, 21, 18, 0, 123, TimeSpan.Zero),
    };

    [Fact]
    public void An_event_survives_a_round_trip()
    {
        using var serializer = new ClickEventSerializer();

        var bytes = serializer.Serialize(Sample);

        Assert.True(ClickEventReader.TryRead(bytes, out var read, out var rejection), rejection.Detail);
        Assert.Equal(Sample, read);
    }

    [Fact]
    public void A_version_2_event_with_every_field_survives_a_round_trip()
    {
        using var serializer = new ClickEventSerializer();
        var purchase = Sample with
        {
            SchemaVersion = 2,
            EventType = "purchase",
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
            Country = "DE",
            VisitorType = "returning",
            Status = 200,
            Category = "books",
            ProductId = "17",
            Query = "fantasy novel",
            Element = "order_details",
            Quantity = 2,
            Amount = 1234.50m,
            Currency = "EUR",
            OrderId = "o-0123456789abcdef",
            ProductIds = ["17", "42"],
            UtmSource = "newsletter",
            UtmMedium = "email",
            UtmCampaign = "weekly_deals",
        };

        var bytes = serializer.Serialize(purchase);

        Assert.True(ClickEventReader.TryRead(bytes, out var read, out var rejection), rejection.Detail);
        Assert.Equal(["17", "42"], read.ProductIds);
        Assert.Equal(purchase with { ProductIds = read.ProductIds }, read);
        Assert.Equal(bytes, serializer.Serialize(read));
    }

    [Fact]
    public void A_version_1_event_is_still_read()
    {
        var json = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","schemaVersion":1,"seq":3,"runId":"r","userId":"42","sessionId":"s","eventType":"page_view","page":"/","referrer":null,"device":"mobile","occurredAt":"2026-11-24T21:18:00Z"}""";

        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), out var read, out _));
        Assert.Equal(1, read.SchemaVersion);
        Assert.Null(read.Status);
        Assert.Null(read.ProductIds);
    }

    [Fact]
    public void A_direct_traffic_event_without_optional_fields_survives_a_round_trip()
    {
        using var serializer = new ClickEventSerializer();
        var minimal = Sample with { Seq = null, RunId = null, SessionId = null, Referrer = null, Device = null };

        Assert.True(ClickEventReader.TryRead(serializer.Serialize(minimal), out var read, out _));
        Assert.Equal(minimal, read);
    }

    [Fact]
    public void The_wire_format_uses_camel_case_names_and_utc_timestamps()
    {
        using var serializer = new ClickEventSerializer();

        using var json = JsonDocument.Parse(serializer.Serialize(Sample));
        var root = json.RootElement;

        Assert.Equal("0195c8a4-5d4e-7c1a-9f00-0123456789ab", root.GetProperty("eventId").GetString());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(42, root.GetProperty("seq").GetInt64());
        Assert.Equal("42", root.GetProperty("userId").GetString());
        Assert.Equal("/search?q=desk+lamp&sort=price", root.GetProperty("page").GetString());
        Assert.Equal("2026-11-24T21:18:00.123Z", root.GetProperty("occurredAt").GetString());
    }

    [Fact]
    public void A_reused_serializer_does_not_leak_one_event_into_the_next()
    {
        using var serializer = new ClickEventSerializer();
        var first = serializer.Serialize(Sample with { Page = "/a-much-longer-page-path-than-the-next-one" });

        var second = serializer.Serialize(Sample with { Page = "/b" });

        Assert.True(second.Length < first.Length);
        Assert.True(ClickEventReader.TryRead(second, out var read, out _));
        Assert.Equal("/b", read.Page);
    }

    [Fact]
    public void Offsets_in_timestamps_are_normalised_to_utc()
    {
        var json = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T22:18:00+01:00"}""";

        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), out var read, out _));
        Assert.Equal(TimeSpan.Zero, read.OccurredAt.Offset);
        Assert.Equal(new DateTime(2026, 11, 24, 21, 18, 0, DateTimeKind.Utc), read.OccurredAt.UtcDateTime);
    }

    [Fact]
    public void Unknown_fields_are_ignored_so_newer_producers_stay_readable()
    {
        var json = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"purchase","page":"/checkout","occurredAt":"2026-11-24T21:18:00Z","basket":{"value":12.5,"currency":"EUR"},"tags":[1,2],"abTest":null}""";

        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), out var read, out _));
        Assert.Equal("purchase", read.EventType);
    }

    [Theory]
    [InlineData("", "empty", "no value")]
    [InlineData("User 42 clicked on /page3 at yesterday", "not_json", "not valid JSON")]
    [InlineData("User 42 clicked /page3 at 1732480000.123", "not_json", "not valid JSON")]
    [InlineData("{\"eventId\":", "not_json", "not valid JSON")]
    [InlineData("[1,2,3]", "not_an_object", "not an object")]
    [InlineData("\"text\"", "not_an_object", "not an object")]
    [InlineData("{}", "missing_field", "'eventId'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""", "missing_field", "'userId'")]
    [InlineData("""{"eventId":"nope","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""", "invalid_field", "'eventId' must be a UUID")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":42,"eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""", "invalid_field", "'userId' must be a string")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""", "invalid_field", "'userId' must not be empty")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"yesterday"}""", "invalid_field", "'occurredAt' must be an ISO-8601")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","seq":-1}""", "invalid_field", "'seq'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","schemaVersion":0}""", "invalid_field", "'schemaVersion'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"} trailing""", "not_json", "not valid JSON")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","status":99}""", "invalid_field", "'status' must be a whole number from 100 to 599")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","amount":-1}""", "invalid_field", "'amount' must be a number of at least 0")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","amount":"12"}""", "invalid_field", "'amount'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","quantity":0}""", "invalid_field", "'quantity'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","productIds":"17"}""", "invalid_field", "'productIds' must be an array of strings")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","productIds":[17]}""", "invalid_field", "'productIds'")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","country":7}""", "invalid_field", "'country' must be a string or null")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}{}""", "not_json", "not valid JSON")]
    public void Messages_that_are_not_events_are_rejected_with_a_reason_naming_the_problem(string message, string reason, string detail)
    {
        Assert.False(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(message), out var read, out var rejection));
        Assert.Null(read);
        Assert.Equal(reason, rejection.Reason);
        Assert.Contains(detail, rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("User 42 clicked on /page3 at 1732480000.123", "42", "/page3", 1732480000123L)]
    [InlineData("User 7 clicked on /page10 at 1732480000", "7", "/page10", 1732480000000L)]
    [InlineData("User 99 clicked on /page1 at 1732480000.1234567\n", "99", "/page1", 1732480000123L)]
    public void Lines_in_the_original_exercise_format_are_read_as_clicks(string line, string userId, string page, long unixMilliseconds)
    {
        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(line), out var read, out var rejection), rejection.Detail);

        Assert.Equal(userId, read.UserId);
        Assert.Equal(page, read.Page);
        Assert.Equal("click", read.EventType);
        Assert.Equal(unixMilliseconds, read.OccurredAt.ToUnixTimeMilliseconds());
        Assert.Equal(TimeSpan.Zero, read.OccurredAt.Offset);
        Assert.Null(read.Seq);
    }

    [Fact]
    public void The_same_exercise_line_always_gets_the_same_event_id()
    {
        var line = Encoding.UTF8.GetBytes("User 42 clicked on /page3 at 1732480000.123");

        Assert.True(ClickEventReader.TryRead(line, out var first, out _));
        Assert.True(ClickEventReader.TryRead(line, out var second, out _));
        Assert.True(ClickEventReader.TryRead("User 43 clicked on /page3 at 1732480000.123"u8, out var other, out _));

        Assert.Equal(first.EventId, second.EventId);
        Assert.NotEqual(first.EventId, other.EventId);
    }

    [Fact]
    public void Oversized_messages_are_rejected_without_parsing()
    {
        var huge = new byte[ClickEventReader.MaxMessageBytes + 1];

        Assert.False(ClickEventReader.TryRead(huge, out _, out var rejection));
        Assert.Equal("too_large", rejection.Reason);
    }

    [Fact]
    public void Overlong_fields_are_rejected()
    {
        var json = $$"""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"{{new string('u', 200)}}","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""";

        Assert.False(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var rejection));
        Assert.Contains("'userId' must be at most 128 characters", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_rejected_not_thrown()
    {
        var json = "{\"x\":" + new string('[', 100) + new string(']', 100) + "}";

        Assert.False(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var rejection));
        Assert.Equal("not_json", rejection.Reason);
    }
}
