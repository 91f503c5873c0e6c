using ClickstreamApi.Api;
using ClickstreamApi.Hosting;

namespace ClickstreamApi.Observability;

public static class ObservabilitySetup
{
    /// <summary>Structured logging, the periodic stream summary and the readiness check.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.AddLogging();
        builder.Services.AddHostedService<StreamSummaryService>();
        builder.Services.AddHealthChecks().AddCheck<KafkaReadinessCheck>("kafka", tags: [HostingDefaults.ReadyTag]);
        return builder;
    }
}
