using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Avro.Generic;
using ClickstreamApi.Events;
using ClickstreamApi.Generation;
using ClickstreamApi.Registry;
using ClickstreamApi.Schemas;
using ClickstreamApi.Security;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Benchmarks.Schemas;

/// <summary>
/// What each output format costs per event, writing and reading, through the service's own encoders and
/// the consumer's reader against the embedded registry (schemas cached after the first event, as in the
/// service); the headers of one event; and Confluent's JsonSerializer&lt;T&gt;, which the json-schema
/// format does not use.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FormatBenchmarks
{
    private const int EventsPerInvoke = 1024;
    private const string Topic = "user_clickstream";

    private EmbeddedSchemaRegistry _registry = null!;
    private CachedSchemaRegistryClient _client = null!;
    private ClickEvent[] _events = null!;
    private JsonEventEncoder _json = null!;
    private JsonSchemaEventEncoder _jsonSchema = null!;
    private AvroEventEncoder _avro = null!;
    private AvroSerializer<GenericRecord> _confluentAvro = null!;
    private byte[][] _foreignAvroValues = null!;
    private JsonSerializer<ConfluentJsonEvent> _confluentJson = null!;
    private ConfluentJsonEvent[] _confluentEvents = null!;
    private EventHeaders _headers = null!;
    private FramedEventReader _reader = null!;
    private byte[][] _avroValues = null!;
    private byte[][] _jsonSchemaValues = null!;
    private readonly Utf8StringPool _pool = new();

    [GlobalSetup]
    public void Setup()
    {
        var registryOptions = Options.Create(new SchemaRegistryOptions());
        var endpoint = new SchemaRegistryEndpoint(registryOptions);
        _registry = new EmbeddedSchemaRegistry(endpoint, registryOptions, Options.Create(new SecurityOptions()), NullLoggerFactory.Instance, NullLogger<EmbeddedSchemaRegistry>.Instance);
        _registry.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = endpoint.Url });

        _events = new SimulatedRun().Take(EventsPerInvoke);
        _json = new JsonEventEncoder();
        // Subjects by topic and record: one subject holds one schema type.
        _jsonSchema = new JsonSchemaEventEncoder(_client, SubjectNames.ValueSubject(SubjectNameStrategy.TopicRecord, Topic, ClickEventSchemas.RecordName(OutputFormat.JsonSchema)), autoRegister: true);
        var avroSubject = SubjectNames.ValueSubject(SubjectNameStrategy.TopicRecord, Topic, ClickEventSchemas.RecordName(OutputFormat.Avro));
        _avro = new AvroEventEncoder(_client, avroSubject, autoRegister: true);
        _confluentAvro = new AvroSerializer<GenericRecord>(_client, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.TopicRecord });
        _jsonSchema.PrepareAsync(CancellationToken.None).GetAwaiter().GetResult();
        _avro.PrepareAsync(CancellationToken.None).GetAwaiter().GetResult();
        _confluentJson = new JsonSerializer<ConfluentJsonEvent>(_client, new JsonSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Record });
        _confluentEvents = [.. _events.Select(ConfluentJsonEvent.From)];
        _headers = new EventHeaders(SimulatedRun.RunId, OutputFormat.Avro);

        var clients = new SchemaRegistryClients(endpoint, registryOptions);
        _reader = new FramedEventReader(clients, new SchemaRegistryRetry(endpoint, registryOptions, TimeProvider.System, NullLogger<SchemaRegistryRetry>.Instance));
        _avroValues = [.. _events.Select(e => _avro.EncodeAsync(e).AsTask().GetAwaiter().GetResult().ToArray())];
        _jsonSchemaValues = [.. _events.Select(e => _jsonSchema.EncodeAsync(e).AsTask().GetAwaiter().GetResult().ToArray())];

        // The same payloads under the id of another writer schema (one more doc string): read through Confluent's deserializer.
        var foreign = ClickEventSchemas.Avro.Replace("\"doc\": \"One click-stream event", "\"doc\": \"A copy: one click-stream event", StringComparison.Ordinal);
        var foreignId = _client.RegisterSchemaAsync("foreign-value", new Confluent.SchemaRegistry.Schema(foreign, SchemaType.Avro)).GetAwaiter().GetResult();
        _foreignAvroValues = [.. _avroValues.Select(v =>
        {
            var copy = v.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(1), foreignId);
            return copy;
        })];
        foreach (var value in _avroValues.Concat(_jsonSchemaValues).Concat(_foreignAvroValues))
        {
            if (_reader.Read(value, Topic, _pool, CancellationToken.None).Event is null)
            {
                throw new InvalidOperationException("The reader rejects what the encoders wrote.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public async Task<int> WriteJson()
    {
        var bytes = 0;
        foreach (var e in _events)
        {
            bytes += (await _json.EncodeAsync(e)).Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public async Task<int> WriteJsonSchema()
    {
        var bytes = 0;
        foreach (var e in _events)
        {
            bytes += (await _jsonSchema.EncodeAsync(e)).Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public async Task<int> WriteAvro()
    {
        var bytes = 0;
        foreach (var e in _events)
        {
            bytes += (await _avro.EncodeAsync(e)).Length;
        }

        return bytes;
    }

    /// <summary>Confluent's Avro serializer from a GenericRecord, which the avro format used first.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public async Task<int> WriteAvroConfluent()
    {
        var bytes = 0;
        var context = new SerializationContext(MessageComponentType.Value, Topic);
        foreach (var e in _events)
        {
            bytes += (await _confluentAvro.SerializeAsync(AvroEventRecords.ToRecord(e), context)).Length;
        }

        return bytes;
    }

    /// <summary>Confluent's JSON Schema serializer (Newtonsoft.Json and a validation of every event), for comparison.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public async Task<int> WriteJsonSchemaConfluent()
    {
        var bytes = 0;
        var context = new SerializationContext(MessageComponentType.Value, Topic);
        foreach (var e in _confluentEvents)
        {
            bytes += (await _confluentJson.SerializeAsync(e, context)).Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Headers")]
    public int Headers()
    {
        var count = 0;
        foreach (var e in _events)
        {
            count += _headers.For(e).Count;
        }

        return count;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadJsonSchema()
    {
        var read = 0;
        foreach (var value in _jsonSchemaValues)
        {
            read += _reader.Read(value, Topic, _pool, CancellationToken.None).Event is null ? 0 : 1;
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadAvro()
    {
        var read = 0;
        foreach (var value in _avroValues)
        {
            read += _reader.Read(value, Topic, _pool, CancellationToken.None).Event is null ? 0 : 1;
        }

        return read;
    }

    /// <summary>Avro written with another schema than the event's: Confluent's deserializer to a GenericRecord, then the record's checks.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadAvroConfluent()
    {
        var read = 0;
        foreach (var value in _foreignAvroValues)
        {
            read += _reader.Read(value, Topic, _pool, CancellationToken.None).Event is null ? 0 : 1;
        }

        return read;
    }
}

/// <summary>The event as a plain class for Confluent's JsonSerializer&lt;T&gt; (which needs a reference type it can describe).</summary>
public sealed class ConfluentJsonEvent
{
    public Guid EventId { get; set; }

    public int SchemaVersion { get; set; }

    public long? Seq { get; set; }

    public string? RunId { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string? SessionId { get; set; }

    public string EventType { get; set; } = string.Empty;

    public string Page { get; set; } = string.Empty;

    public string? Referrer { get; set; }

    public string? Device { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string? UserAgent { get; set; }

    public string? Country { get; set; }

    public int? Status { get; set; }

    public string? ProductId { get; set; }

    public decimal? Amount { get; set; }

    public List<string>? ProductIds { get; set; }

    public static ConfluentJsonEvent From(ClickEvent e) => new()
    {
        EventId = e.EventId,
        SchemaVersion = e.SchemaVersion,
        Seq = e.Seq,
        RunId = e.RunId,
        UserId = e.UserId,
        SessionId = e.SessionId,
        EventType = e.EventType,
        Page = e.Page,
        Referrer = e.Referrer,
        Device = e.Device,
        OccurredAt = e.OccurredAt,
        UserAgent = e.UserAgent,
        Country = e.Country,
        Status = e.Status,
        ProductId = e.ProductId,
        Amount = e.Amount,
        ProductIds = e.ProductIds?.ToList(),
    };
}
