using ClickstreamApi.Events;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Avro in Confluent's wire format: the 5-byte header with the id of schemas/click-event.avsc, then
/// the Avro binary <see cref="ClickEventAvroWriter"/> writes (the bytes Confluent's
/// <c>AvroSerializer&lt;GenericRecord&gt;</c> writes, at a fraction of its cost). The schema is
/// registered through Confluent's registry client, as its serializer would register it.
/// </summary>
public sealed class AvroEventEncoder(ISchemaRegistryClient registry, string subject, bool autoRegister) : IEventEncoder
{
    private readonly ClickEventAvroWriter _writer = new();
    private readonly ExactLengthBuffers _buffers = new();

    public OutputFormat Format => OutputFormat.Avro;

    public RegisteredEventSchema? Schema { get; private set; }

    /// <summary>Registers the parsed schema's text, which is what Confluent's serializer sends for it.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken) => Schema ??= await EventSchemaRegistration.RegisterAsync(
        registry, new Schema(ClickEventSchemas.AvroRecord.ToString(), SchemaType.Avro), subject, autoRegister, cancellationToken);

    public ValueTask<byte[]> EncodeAsync(ClickEvent clickEvent)
    {
        var schema = Schema ?? throw new InvalidOperationException("PrepareAsync registers the schema before the first event.");
        return ValueTask.FromResult(_buffers.Copy(_writer.Write(clickEvent, schema.Id)));
    }

    public void Dispose()
    {
    }
}
