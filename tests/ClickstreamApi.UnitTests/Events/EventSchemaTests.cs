using System.Text.Json;
using System.Text.Json.Nodes;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;
using Json.Schema;

namespace ClickstreamApi.UnitTests.Events;

/// <summary>Generated events obey schemas/click-event.schema.json, and what the consumer rejects it rejects too (EventContractTests holds the schema to ClickEventFields).</summary>
public sealed class EventSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "schemas", "click-event.schema.json"));

    [Fact]
    public void Generated_events_of_every_kind_are_valid_against_the_json_schema()
    {
        var simulator = new ClickSimulator(5_000, 0.05, seed: 37);
        simulator.SetRate(200);
        using var serializer = new ClickEventSerializer();
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        var seen = new HashSet<string>();

        for (var i = 1; i <= 20_000; i++)
        {
            var (clickEvent, _) = simulator.Next("run", i, DateTimeOffset.UnixEpoch.AddSeconds(i));
            var node = JsonNode.Parse(serializer.Serialize(clickEvent));
            var result = Schema.Evaluate(node, options);
            Assert.True(result.IsValid, $"{node!.ToJsonString()}: {string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")))}");
            seen.Add(clickEvent.EventType);
        }

        Assert.Equal(EventTypes.All.Count, seen.Count);
    }

    [Theory]
    [InlineData("""{"userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","status":99}""")]
    [InlineData("""{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""")]
    public void Messages_the_consumer_rejects_are_invalid_against_the_schema_too(string json)
    {
        Assert.False(ClickEventReader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out _, out _));
        Assert.False(Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { RequireFormatValidation = true }).IsValid);
    }
}
