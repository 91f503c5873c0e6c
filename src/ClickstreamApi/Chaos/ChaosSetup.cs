using ClickstreamApi.Hosting;

namespace ClickstreamApi.Chaos;

public static class ChaosSetup
{
    /// <summary>The chaos switch and the object that breaks the embedded cluster (used only when the switch is on).</summary>
    public static WebApplicationBuilder AddChaos(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ChaosOptions>(ChaosOptions.SectionName);
        builder.Services.AddSingleton<EmbeddedKafkaChaos>();
        return builder;
    }
}
