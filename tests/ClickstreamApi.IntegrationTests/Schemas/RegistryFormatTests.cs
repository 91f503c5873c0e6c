using System.Buffers.Binary;
using System.Text.Json;
using ClickstreamApi.Api;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Schemas;

/// <summary>
/// Runs in the registry formats: the service's own consumer reads them (recent events with format,
/// schema id and headers; integrity), and clients that are not ours read the topic: Apache Avro's
/// Python decoder, confluent-kafka's Python JSON Schema deserializer (python3-confluent-kafka,
/// python3-avro, python3-requests, python3-jsonschema) and kcat for the headers.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class RegistryFormatTests(TopicRecordSubjectsAppFactory factory) : IClassFixture<TopicRecordSubjectsAppFactory>
{
    private const int Events = 200;

    private readonly ApiClient _api = new(factory.CreateClient());

    [Theory]
    [InlineData("avro", "application/vnd.confluent.avro", "user_clickstream-clickstream.ClickEvent")]
    [InlineData("json-schema", "application/vnd.confluent.jsonschema+json", "user_clickstream-ClickEvent")]
    public async Task A_run_in_a_registry_format_is_consumed_with_its_schema_id_and_headers(string format, string contentType, string subject)
    {
        await _api.SetRateAsync(500);
        var run = await _api.CompleteRunAsync(new { maxEvents = Events, format });

        Assert.Equal(format, run.Format);
        Assert.NotNull(run.SchemaId);
        Assert.Equal(subject, run.Subject);
        var events = await _api.RunEventsAsync(run.RunId!, Events);
        Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        foreach (var e in events)
        {
            Assert.Equal(format, e.GetProperty("format").GetString());
            Assert.Equal(run.SchemaId, e.GetProperty("schemaId").GetInt32());
            var headers = e.GetProperty("headers").EnumerateArray().Select(h => (h.GetProperty("key").GetString(), h.GetProperty("value").GetString())).ToList();
            Assert.Equal(
                [("run-id", run.RunId), ("seq", e.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 ("event-type", e.GetProperty("eventType").GetString()), ("schema-version", "2"), ("content-type", contentType)],
                headers);
        }

        var kafka = await _api.GetKafkaAsync();
        await TopicEnds.AwaitConsumedAsync(_api, TopicEnds.Query(kafka.BootstrapServers, kafka.Topic));
        var (response, stats) = await _api.GetJsonAsync("/api/stats");
        response.Dispose();
        var integrity = StatsOf(stats, run.RunId!);
        Assert.Equal((Events, 0L, 0L), (integrity.GetProperty("received").GetInt64(), integrity.GetProperty("missing").GetInt64(), integrity.GetProperty("duplicates").GetInt64()));
    }

    [Theory]
    [InlineData("avro")]
    [InlineData("json-schema")]
    public async Task Pythons_decoders_read_the_run_through_the_embedded_registry(string format)
    {
        var python = ExternalTool.PythonWith("confluent_kafka, avro, requests, jsonschema", "python3-confluent-kafka python3-avro python3-requests python3-jsonschema");
        var kafka = await _api.GetKafkaAsync();
        await _api.SetRateAsync(500);
        var run = await _api.CompleteRunAsync(new { maxEvents = Events, format });
        var ours = (await _api.RunEventsAsync(run.RunId!, Events)).ToDictionary(e => e.GetProperty("seq").GetInt64());
        // The topic also holds values no decoder can read (as other tests leave them): the verifier skips them.
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<Null, byte[]> { Value = Framed(987_655, [1, 2, 3]) }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(kafka.Topic, new Message<Null, byte[]> { Value = Framed(run.SchemaId!.Value, [0xFF, 0xFF, 0xFF]) }, TestContext.Current.CancellationToken);
        }

        var (exitCode, output, error) = await ExternalTool.RunAsync(
            python,
            [Path.Combine(AppContext.BaseDirectory, "Schemas", "read_registry_events.py"), format, kafka.BootstrapServers, kafka.Topic, kafka.SchemaRegistry.Url!, run.RunId!],
            timeout: TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, error);
        var decoded = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), decoded.Select(d => d.GetProperty("seq").GetInt64()).Order());
        foreach (var theirs in decoded)
        {
            var mine = ours[theirs.GetProperty("seq").GetInt64()];
            Assert.Equal(mine.GetProperty("eventId").GetString(), theirs.GetProperty("eventId").GetString());
            Assert.Equal(mine.GetProperty("userId").GetString(), theirs.GetProperty("userId").GetString());
            Assert.Equal(mine.GetProperty("userId").GetString(), theirs.GetProperty("key").GetString());
            Assert.Equal(mine.GetProperty("eventType").GetString(), theirs.GetProperty("eventType").GetString());
            Assert.Equal(run.SchemaId, theirs.GetProperty("schemaId").GetInt32());
            if (mine.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(amount.GetDecimal(), decimal.Parse(theirs.GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public async Task Kcat_shows_the_headers_of_every_event()
    {
        var kcat = ExternalTool.Require("kcat", "apt-get install kcat");
        var kafka = await _api.GetKafkaAsync();
        await _api.SetRateAsync(500);
        var run = await _api.CompleteRunAsync(new { maxEvents = 50, format = "avro" });

        var (exitCode, output, error) = await ExternalTool.RunAsync(kcat, ["-b", kafka.BootstrapServers, "-C", "-t", kafka.Topic, "-o", "beginning", "-e", "-q", "-f", "%h\n"]);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.Contains($"run-id={run.RunId}", StringComparison.Ordinal)).ToList();
        Assert.Equal(50, lines.Count);
        Assert.All(lines, line => Assert.Matches("^run-id=[0-9a-f-]+,seq=[0-9]+,event-type=[a-z_]+,schema-version=2,content-type=application/vnd.confluent.avro$", line));
        Assert.Equal(Enumerable.Range(1, 50), lines.Select(line => int.Parse(line.Split(',')[1]["seq=".Length..], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public async Task A_framed_value_with_an_unknown_schema_id_or_a_payload_its_schema_cannot_read_is_rejected_with_the_reason()
    {
        var kafka = await _api.GetKafkaAsync();
        var run = await _api.CompleteRunAsync(new { maxEvents = 5, format = "avro" });
        var before = await _api.GetRejectedAsync();

        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<Null, byte[]> { Value = Framed(987_654, [1, 2, 3]) }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(kafka.Topic, new Message<Null, byte[]> { Value = Framed(run.SchemaId!.Value, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) }, TestContext.Current.CancellationToken);
        }

        var rejected = await Eventually.Until(
            _api.GetRejectedAsync,
            r => r.GetProperty("total").GetInt64() >= before.GetProperty("total").GetInt64() + 2,
            "the two framed values rejected");
        var byReason = rejected.GetProperty("byReason");
        Assert.True(byReason.GetProperty("unknown_schema").GetInt64() >= 1);
        Assert.True(byReason.GetProperty("schema_mismatch").GetInt64() >= 1);
        var messages = rejected.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.GetProperty("detail").GetString()!.Contains("schema id 987654", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.GetProperty("detail").GetString()!.Contains($"schema {run.SchemaId}", StringComparison.Ordinal));
    }

    private static byte[] Framed(int schemaId, byte[] payload)
    {
        var value = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1), schemaId);
        payload.CopyTo(value, 5);
        return value;
    }

    private static JsonElement StatsOf(JsonElement stats, string runId) =>
        stats.GetProperty("integrity").GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("runId").GetString() == runId);
}
