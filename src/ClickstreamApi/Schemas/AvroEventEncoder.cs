using Avro.Generic;
using ClickstreamApi.Events;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Avro in Confluent's wire format, written by Confluent's own <see cref="AvroSerializer{T}"/> from a
/// <see cref="GenericRecord"/> of schemas/click-event.avsc.
/// </summary>
public sealed class AvroEventEncoder : IEventEncoder
{
    private readonly ISchemaRegistryClient _registry;
    private readonly string _subject;
    private readonly bool _autoRegister;
    private readonly AvroSerializer<GenericRecord> _serializer;
    private readonly SerializationContext _context;

    public AvroEventEncoder(ISchemaRegistryClient registry, string topic, string subject, SubjectNameStrategy strategy, bool autoRegister)
    {
        _registry = registry;
        _subject = subject;
        _autoRegister = autoRegister;
        _context = new SerializationContext(MessageComponentType.Value, topic);
        _serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = autoRegister,
            SubjectNameStrategy = strategy,
        });
    }

    public OutputFormat Format => OutputFormat.Avro;

    public RegisteredEventSchema? Schema { get; private set; }

    /// <summary>Registers the schema text the serializer sends (the parsed schema's), so its first event finds the id in the client's cache.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken) => Schema ??= await EventSchemaRegistration.RegisterAsync(
        _registry, new Schema(ClickEventSchemas.AvroRecord.ToString(), SchemaType.Avro), _subject, _autoRegister, cancellationToken);

    public ValueTask<byte[]> EncodeAsync(ClickEvent clickEvent) =>
        new(_serializer.SerializeAsync(AvroEventRecords.ToRecord(clickEvent), _context));

    public void Dispose()
    {
    }
}
