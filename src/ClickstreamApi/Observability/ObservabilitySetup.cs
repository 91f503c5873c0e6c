using ClickstreamApi.Api;
using ClickstreamApi.Hosting;

namespace ClickstreamApi.Observability;

public static class ObservabilitySetup
{
    /// <summary>Structured logging, the periodic stream summary and the readiness check.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ObservabilityOptions>(ObservabilityOptions.SectionName);
        builder.AddLogging();
        builder.Services.AddHostedService<StreamSummaryService>();
        builder.Services.AddHealthChecks().AddCheck<KafkaReadinessCheck>("kafka", tags: [HealthApi.ReadyTag]);
        return builder;
    }
}
