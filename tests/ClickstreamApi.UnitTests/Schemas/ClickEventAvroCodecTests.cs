using Avro.Generic;
using Avro.IO;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.UnitTests.Schemas;

/// <summary>
/// The hand-written Avro writer writes exactly the bytes Apache Avro's GenericWriter writes for the
/// event's record (which is what Confluent's AvroSerializer puts behind its header), and the reader
/// reads them back, or rejects a payload naming the field and the rule as the JSON reader does.
/// </summary>
public sealed class ClickEventAvroCodecTests
{
    private static readonly List<ClickEvent> Events = Simulated(5_000);

    [Fact]
    public void The_writer_writes_the_bytes_of_apache_avros_generic_writer_behind_the_wire_format_header()
    {
        var writer = new ClickEventAvroWriter();
        foreach (var e in Events)
        {
            var written = writer.Write(e, schemaId: 0x01020304).ToArray();

            Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, written[..5]);
            Assert.Equal(GenericBytes(AvroEventRecords.ToRecord(e)), written[5..]);
        }
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.28)]
    [InlineData(327.68)]
    [InlineData(999_999_999.99)]
    [InlineData(0)]
    public void Amounts_at_every_byte_length_match_the_generic_writer(double amount)
    {
        var e = Events[0] with { Amount = (decimal)amount };

        Assert.Equal(GenericBytes(AvroEventRecords.ToRecord(e)), new ClickEventAvroWriter().Write(e, 1)[5..].ToArray());
        Assert.True(ClickEventAvroReader.TryRead(new ClickEventAvroWriter().Write(e, 1)[5..], null, out var read, out var rejection), rejection.Detail);
        Assert.Equal((decimal)amount, read!.Amount);
    }

    [Fact]
    public void The_reader_reads_back_every_event_the_writer_wrote()
    {
        var writer = new ClickEventAvroWriter();
        var pool = new Utf8StringPool();
        foreach (var e in Events)
        {
            Assert.True(ClickEventAvroReader.TryRead(writer.Write(e, 1)[5..], pool, out var read, out var rejection), rejection.Detail);
            var expected = e with { OccurredAt = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero) };
            Assert.Equal(Json(expected), Json(read!));
        }
    }

    [Theory]
    [InlineData("status", 700, "invalid_field", "Field 'status' must be a whole number from 100 to 599.")]
    [InlineData("page", "", "invalid_field", "Field 'page' must not be empty.")]
    [InlineData("seq", -1L, "invalid_field", "Field 'seq' must be a whole number of at least 0.")]
    public void A_value_that_breaks_the_contract_is_rejected_as_the_json_reader_would(string field, object value, string reason, string detail)
    {
        var record = AvroEventRecords.ToRecord(Events[0]);
        record.Add(field, value);

        Assert.False(ClickEventAvroReader.TryRead(GenericBytes(record), null, out _, out var rejection));
        Assert.Equal(new Rejection(reason, detail), rejection);
    }

    [Fact]
    public void A_payload_cut_short_or_with_bytes_after_the_record_does_not_match_the_schema()
    {
        var payload = new ClickEventAvroWriter().Write(Events[0], 1)[5..].ToArray();

        for (var length = 0; length < payload.Length; length += 7)
        {
            Assert.False(ClickEventAvroReader.TryRead(payload.AsSpan(0, length), null, out _, out var cut));
            Assert.Contains(cut.Reason, new[] { RejectionReasons.SchemaMismatch, RejectionReasons.InvalidField });
        }

        Assert.False(ClickEventAvroReader.TryRead([.. payload, 0], null, out _, out var trailing));
        Assert.Equal(RejectionReasons.SchemaMismatch, trailing.Reason);
        Assert.Contains("bytes follow the record", trailing.Detail, StringComparison.Ordinal);
    }

    private static List<ClickEvent> Simulated(int count)
    {
        var simulator = new ClickSimulator(5_000, 0.05, seed: 31);
        var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(1, count).Select(i => simulator.Next("run", i, start.AddTicks(i * 123_457L)).Event)];
    }

    private static byte[] GenericBytes(GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericWriter<GenericRecord>(ClickEventSchemas.AvroRecord).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private static string Json(ClickEvent e)
    {
        using var serializer = new ClickEventSerializer();
        return System.Text.Encoding.UTF8.GetString(serializer.Write(e with { Amount = e.Amount is { } a ? decimal.Round(a, 2) + 0.00m : null }));
    }
}
