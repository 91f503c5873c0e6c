using ClickstreamApi.Hosting;

namespace ClickstreamApi.Schemas;

public static class SchemasSetup
{
    /// <summary>The output format, the registry's address and the client the encoders and decoders share.</summary>
    public static WebApplicationBuilder AddSchemas(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OutputOptions>(OutputOptions.SectionName);
        builder.Services.AddValidatedOptions<SchemaRegistryOptions>(SchemaRegistryOptions.SectionName);
        builder.Services.AddSingleton<SchemaRegistryEndpoint>();
        builder.Services.AddSingleton<SchemaRegistryClients>();
        builder.Services.AddSingleton<SchemaRegistryRetry>();
        builder.Services.AddSingleton<EventEncoders>();
        builder.Services.AddSingleton<DimensionEncoders>();
        builder.Services.AddSingleton<FramedEventReader>();
        return builder;
    }
}
