using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>Registers the event schema under its subject, or (without auto-registration) finds it there.</summary>
internal static class EventSchemaRegistration
{
    public static async Task<RegisteredEventSchema> RegisterAsync(ISchemaRegistryClient registry, Schema schema, string subject, bool autoRegister, CancellationToken cancellationToken)
    {
        // The client's calls take no token; its request time-out (SchemaRegistry:RequestTimeoutMs) bounds them.
        var id = autoRegister
            ? await registry.RegisterSchemaAsync(subject, schema).WaitAsync(cancellationToken)
            : (await registry.LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true).WaitAsync(cancellationToken)).Id;
        return new RegisteredEventSchema(id, subject);
    }
}
