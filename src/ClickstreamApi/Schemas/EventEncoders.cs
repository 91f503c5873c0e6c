using Microsoft.Extensions.Options;

namespace ClickstreamApi.Schemas;

/// <summary>Creates the encoder of a format, with the topic, subject and registration rules from configuration.</summary>
public sealed class EventEncoders(SchemaRegistryClients clients, SchemaRegistryEndpoint endpoint, IOptions<SchemaRegistryOptions> options)
{
    /// <summary>The registry's URL, once known.</summary>
    public string? RegistryUrl => endpoint.Url;

    /// <summary>The subject the format's schema is registered under (Confluent's subject name strategies).</summary>
    public string Subject(OutputFormat format, string topic)
    {
        return SubjectNames.ValueSubject(SubjectNames.Parse(options.Value.SubjectNameStrategy), topic, ClickEventSchemas.RecordName(format));
    }

    /// <summary>A new encoder; for the registry formats it waits until the registry's address is known (the embedded one is starting).</summary>
    public async Task<IEventEncoder> CreateAsync(OutputFormat format, string topic, CancellationToken cancellationToken)
    {
        if (format == OutputFormat.Json)
        {
            return new JsonEventEncoder();
        }

        var registry = await clients.GetAsync(cancellationToken);
        var autoRegister = options.Value.AutoRegisterSchemas;
        return format == OutputFormat.Avro
            ? new AvroEventEncoder(registry, Subject(format, topic), autoRegister)
            : new JsonSchemaEventEncoder(registry, Subject(format, topic), autoRegister);
    }
}
