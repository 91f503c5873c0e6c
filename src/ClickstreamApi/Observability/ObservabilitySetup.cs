using ClickstreamApi.Api;

namespace ClickstreamApi.Observability;

public static class ObservabilitySetup
{
    /// <summary>Structured logging, the periodic stream summary and the readiness check.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>()
            .BindConfiguration(ObservabilityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddLogging();
        builder.Services.AddHostedService<StreamSummaryService>();
        builder.Services.AddHealthChecks().AddCheck<KafkaReadinessCheck>("kafka", tags: [HealthApi.ReadyTag]);
        return builder;
    }
}
