using Microsoft.Extensions.Options;

namespace ClickstreamApi.Schemas;

/// <summary>Creates the dimension topics' encoder of a format, with subjects by the configured subject name strategy.</summary>
public sealed class DimensionEncoders(SchemaRegistryClients clients, IOptions<SchemaRegistryOptions> options)
{
    /// <summary>The subjects the users and products schemas are registered under (<c>user_clickstream_users-value</c> by topic).</summary>
    public (string Users, string Products) Subjects(OutputFormat format, string usersTopic, string productsTopic)
    {
        var strategy = SubjectNames.Parse(options.Value.SubjectNameStrategy);
        var (user, product) = DimensionSchemas.RecordNames(format);
        return (SubjectNames.ValueSubject(strategy, usersTopic, user), SubjectNames.ValueSubject(strategy, productsTopic, product));
    }

    /// <summary>A new encoder; for the registry formats it waits until the registry's address is known.</summary>
    public async Task<IDimensionEncoder> CreateAsync(OutputFormat format, string usersTopic, string productsTopic, CancellationToken cancellationToken)
    {
        if (format == OutputFormat.Json)
        {
            return new JsonDimensionEncoder();
        }

        var registry = await clients.GetAsync(cancellationToken);
        var (users, products) = Subjects(format, usersTopic, productsTopic);
        var autoRegister = options.Value.AutoRegisterSchemas;
        return format == OutputFormat.Avro
            ? new AvroDimensionEncoder(registry, users, products, autoRegister)
            : new JsonSchemaDimensionEncoder(registry, users, products, autoRegister);
    }
}
