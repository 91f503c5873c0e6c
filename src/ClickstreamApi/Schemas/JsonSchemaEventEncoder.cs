using ClickstreamApi.Events;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>
/// JSON Schema in Confluent's wire format: the 5-byte header with the id of
/// schemas/click-event.schema.json, then the same JSON bytes as the <c>json</c> format.
/// </summary>
/// <remarks>
/// Confluent's own <c>JsonSerializer&lt;T&gt;</c> is not used on this path: it serializes with
/// Newtonsoft.Json (other bytes than the event contract's) and validates every event against the
/// schema, at many times the cost (bench/ClickstreamApi.Benchmarks, FormatBenchmarks). The schema is
/// registered through Confluent's registry client, and consumers with Confluent's deserializers read
/// these bytes (the Python test does).
/// </remarks>
public sealed class JsonSchemaEventEncoder(ISchemaRegistryClient registry, string subject, bool autoRegister) : IEventEncoder
{
    private readonly ClickEventSerializer _serializer = new();
    private readonly ExactLengthBuffers _buffers = new();

    public OutputFormat Format => OutputFormat.JsonSchema;

    public RegisteredEventSchema? Schema { get; private set; }

    public async Task PrepareAsync(CancellationToken cancellationToken) => Schema ??= await EventSchemaRegistration.RegisterAsync(
        registry, new Schema(ClickEventSchemas.JsonSchema, SchemaType.Json), subject, autoRegister, cancellationToken);

    public ValueTask<byte[]> EncodeAsync(ClickEvent clickEvent)
    {
        var schema = Schema ?? throw new InvalidOperationException("PrepareAsync registers the schema before the first event.");
        var json = _serializer.Write(clickEvent);
        var value = _buffers.Get(WireFormat.HeaderLength + json.Length);
        WireFormat.WriteHeader(value, schema.Id);
        json.CopyTo(value.AsSpan(WireFormat.HeaderLength));
        return ValueTask.FromResult(value);
    }

    public void Dispose() => _serializer.Dispose();
}
