namespace ClickstreamApi.Registry;

public static class RegistrySetup
{
    /// <summary>The embedded Schema Registry, started before the pipeline so its address is known when the first schema is registered.</summary>
    public static WebApplicationBuilder AddEmbeddedSchemaRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EmbeddedSchemaRegistry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedSchemaRegistry>());
        return builder;
    }
}
