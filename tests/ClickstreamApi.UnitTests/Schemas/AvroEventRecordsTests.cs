using Avro.Generic;
using Avro.IO;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.UnitTests.Schemas;

/// <summary>
/// Events survive Avro (schemas/click-event.avsc, Apache.Avro's own binary writer and reader) with every
/// field intact, and a decoded record that breaks the contract is rejected naming the field and the rule,
/// as the JSON reader would.
/// </summary>
public sealed class AvroEventRecordsTests
{
    [Fact]
    public void Simulated_events_read_back_from_avro_binary_equal_what_was_written()
    {
        var simulator = new ClickSimulator(5_000, 0.05, seed: 29);
        var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(1, 5_000).Select(i => simulator.Next("run", i, start.AddTicks(i * 123_457L)).Event).ToList();
        Assert.Contains(events, e => e.Amount is not null);
        Assert.Contains(events, e => e.ProductIds is { Count: > 0 });

        foreach (var written in events)
        {
            var record = RoundTrip(AvroEventRecords.ToRecord(written));

            Assert.True(AvroEventRecords.TryRead(record, out var read, out var rejection), rejection.Detail);
            // Avro keeps microseconds (timestamp-micros); everything else exactly.
            var expected = written with { OccurredAt = TruncateToMicroseconds(written.OccurredAt) };
            Assert.Equal(Comparable(expected), Comparable(read!));
        }
    }

    [Theory]
    [InlineData("userId", null, "missing_field", "Required field 'userId' is missing.")]
    [InlineData("page", "", "invalid_field", "Field 'page' must not be empty.")]
    [InlineData("status", 700, "invalid_field", "Field 'status' must be a whole number from 100 to 599.")]
    [InlineData("quantity", 0, "invalid_field", "Field 'quantity' must be a whole number from 1 to 1000000.")]
    // Another writer's values a decimal or a time cannot hold are rejections too, not exceptions.
    [InlineData("occurredAt", long.MaxValue, "invalid_field", "Field 'occurredAt' must be an ISO-8601 timestamp string.")]
    [InlineData("amount", 1e300, "invalid_field", "Field 'amount' must be a number of at least 0.")]
    public void A_record_that_breaks_the_contract_is_rejected_naming_the_field_and_the_rule(string field, object? value, string reason, string detail)
    {
        var record = AvroEventRecords.ToRecord(Sample);
        record.Add(field, value);

        Assert.False(AvroEventRecords.TryRead(record, out _, out var rejection));
        Assert.Equal(new Rejection(reason, detail), rejection);
    }

    [Fact]
    public void A_text_longer_than_its_limit_is_rejected()
    {
        var record = AvroEventRecords.ToRecord(Sample);
        record.Add("country", new string('x', ClickEventFields.MaxNameLength + 1));

        Assert.False(AvroEventRecords.TryRead(record, out _, out var rejection));
        Assert.Equal($"Field 'country' must be at most {ClickEventFields.MaxNameLength} characters.", rejection.Detail);
    }

    [Fact]
    public void Amounts_are_written_as_decimals_with_two_places()
    {
        // The schema's decimal has scale 2: Avro's writer refuses any other scale.
        var record = RoundTrip(AvroEventRecords.ToRecord(Sample with { Amount = 12.5m }));

        Assert.Equal(2, ((Avro.AvroDecimal)record["amount"]).Scale);
        Assert.True(AvroEventRecords.TryRead(record, out var read, out _));
        Assert.Equal(12.5m, read!.Amount);
    }

    private static readonly ClickEvent Sample = new()
    {
        EventId = Guid.Parse("0195c8a4-5d4e-7c1a-9f00-0123456789ab"),
        Seq = 7,
        RunId = "run",
        UserId = "42",
        EventType = EventTypes.AddToCart,
        Page = "/product/7",
        OccurredAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        Status = 200,
        Quantity = 2,
        Amount = 19.98m,
        Currency = "EUR",
        ProductIds = ["p-7"],
    };

    private static GenericRecord RoundTrip(GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericWriter<GenericRecord>(ClickEventSchemas.AvroRecord).Write(record, new BinaryEncoder(stream));
        stream.Position = 0;
        return new GenericReader<GenericRecord>(ClickEventSchemas.AvroRecord, ClickEventSchemas.AvroRecord).Read(null!, new BinaryDecoder(stream));
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    // Records compare lists by reference: compare their JSON instead.
    private static string Comparable(ClickEvent e)
    {
        using var serializer = new ClickEventSerializer();
        return System.Text.Encoding.UTF8.GetString(serializer.Write(e with { Amount = e.Amount is { } a ? decimal.Round(a, 2) + 0.00m : null }));
    }
}
