using System.Net;
using Avro.Generic;
using ClickstreamApi.Events;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace ClickstreamApi.Schemas;

/// <summary>An event read from a registry-framed value, or why it is not one.</summary>
/// <param name="Event">The event; null when rejected.</param>
/// <param name="Rejection">Why the value is not an event.</param>
/// <param name="Format">The format the schema's type says.</param>
/// <param name="SchemaId">The schema id in the value's header.</param>
public readonly record struct FramedEvent(ClickEvent? Event, Rejection Rejection, OutputFormat? Format, int SchemaId);

/// <summary>
/// Reads values in Confluent's wire format: looks the schema id up in the registry (once per id),
/// then reads JSON Schema payloads with <see cref="ClickEventReader"/>, Avro payloads written with
/// schemas/click-event.avsc with <see cref="ClickEventAvroReader"/>, and Avro written with any other
/// schema with Confluent's <see cref="AvroDeserializer{T}"/>. An id the registry does not know,
/// or a payload its schema cannot read, is a rejection with the reason; a registry that does not
/// answer is waited for (<see cref="SchemaRegistryRetry"/>), so no valid event is rejected for it.
/// Used from the consumer's thread only.
/// </summary>
public sealed class FramedEventReader(SchemaRegistryClients clients, SchemaRegistryRetry retry)
{
    // Schemas by id, once the registry has named them: ids never change their schema.
    private readonly Dictionary<int, Schema> _schemas = [];
    private readonly Dictionary<int, bool> _eventSchema = [];
    private ISchemaRegistryClient? _registry;
    private AvroDeserializer<GenericRecord>? _avro;

    /// <summary>
    /// Reads a value straight from librdkafka's buffer when its schema is known already and is one of
    /// the event's (the usual case after a run's first event); false when it needs the registry or
    /// Confluent's deserializer, which take a copy of the bytes (<see cref="Read"/>).
    /// </summary>
    public bool TryReadKnown(ReadOnlySpan<byte> value, Utf8StringPool? pool, out FramedEvent read)
    {
        var id = WireFormat.SchemaId(value);
        if (_schemas.TryGetValue(id, out var schema)
            && (schema.SchemaType == SchemaType.Json || (schema.SchemaType == SchemaType.Avro && IsEventSchema(id, schema))))
        {
            read = ReadEventSchema(value, pool, id, schema.SchemaType);
            return true;
        }

        read = default;
        return false;
    }

    public FramedEvent Read(byte[] value, string topic, Utf8StringPool? pool, CancellationToken cancellationToken)
    {
        var id = WireFormat.SchemaId(value);
        _registry ??= clients.GetAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
        if (!_schemas.TryGetValue(id, out var schema))
        {
            try
            {
                schema = retry.RunAsync($"looking up schema {id}", () => _registry.GetSchemaAsync(id), cancellationToken).GetAwaiter().GetResult();
            }
            catch (SchemaRegistryException ex) when (ex.Status == HttpStatusCode.NotFound || ex.ErrorCode == 40403)
            {
                // Not cached: the id may be registered later (another producer's registry, a restored one).
                return Rejected(RejectionReasons.UnknownSchema, $"The value names schema id {id}, which the registry does not have ({ex.ErrorCode}: {ex.Message}).", null, id);
            }

            _schemas[id] = schema;
        }

        switch (schema.SchemaType)
        {
            case SchemaType.Json:
            case SchemaType.Avro when IsEventSchema(id, schema):
                return ReadEventSchema(value, pool, id, schema.SchemaType);
            case SchemaType.Avro:
                return ReadAvro(value, topic, id, cancellationToken);
            default:
                return Rejected(RejectionReasons.UnsupportedFormat, $"Schema {id} is a {schema.SchemaType} schema; this service reads JSON, Avro and JSON Schema values.", null, id);
        }
    }

    /// <summary>A value written with one of the event's own schemas: JSON Schema by the JSON reader, click-event.avsc by the Avro reader.</summary>
    private static FramedEvent ReadEventSchema(ReadOnlySpan<byte> value, Utf8StringPool? pool, int id, SchemaType type)
    {
        var payload = value[WireFormat.HeaderLength..];
        if (type == SchemaType.Json)
        {
            return ClickEventReader.TryRead(payload, pool, out var jsonEvent, out var rejection)
                ? new FramedEvent(jsonEvent, default, OutputFormat.JsonSchema, id)
                : new FramedEvent(null, rejection with { Detail = $"{rejection.Detail} (JSON Schema id {id})" }, OutputFormat.JsonSchema, id);
        }

        return ClickEventAvroReader.TryRead(payload, pool, out var avroEvent, out var avroRejection)
            ? new FramedEvent(avroEvent, default, OutputFormat.Avro, id)
            : new FramedEvent(null, avroRejection with { Detail = $"{avroRejection.Detail} (Avro schema {id})" }, OutputFormat.Avro, id);
    }

    private FramedEvent ReadAvro(byte[] value, string topic, int id, CancellationToken cancellationToken)
    {
        _avro ??= new AvroDeserializer<GenericRecord>(_registry!);
        GenericRecord record;
        try
        {
            record = retry.RunAsync(
                $"reading Avro schema {id}",
                () => _avro.DeserializeAsync(value, isNull: false, new SerializationContext(MessageComponentType.Value, topic)),
                cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !SchemaRegistryRetry.IsNoAnswer(ex, cancellationToken))
        {
            return Rejected(RejectionReasons.SchemaMismatch, $"The Avro payload cannot be read with schema {id}: {ex.GetType().Name}: {ex.Message}", OutputFormat.Avro, id);
        }

        return AvroEventRecords.TryRead(record, out var clickEvent, out var rejection)
            ? new FramedEvent(clickEvent, default, OutputFormat.Avro, id)
            : new FramedEvent(null, rejection with { Detail = $"{rejection.Detail} (Avro schema id {id})" }, OutputFormat.Avro, id);
    }

    /// <summary>Whether the writer schema is schemas/click-event.avsc itself (compared once per id, as Apache Avro prints both).</summary>
    private bool IsEventSchema(int id, Schema schema)
    {
        if (!_eventSchema.TryGetValue(id, out var same))
        {
            try
            {
                same = global::Avro.Schema.Parse(schema.SchemaString).ToString() == ClickEventSchemas.AvroRecord.ToString();
            }
            catch (global::Avro.AvroException)
            {
                same = false;
            }

            _eventSchema[id] = same;
        }

        return same;
    }

    private static FramedEvent Rejected(string reason, string detail, OutputFormat? format, int id) => new(null, new Rejection(reason, detail), format, id);
}
