using ClickstreamApi.Hosting;

namespace ClickstreamApi.Diagnostics;

public static class DiagnosticsSetup
{
    /// <summary>The small diagnostics the pipeline itself calls: log settings, librdkafka statistics and trace propagation across Kafka.</summary>
    public static WebApplicationBuilder AddDiagnostics(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ObservabilityOptions>(ObservabilityOptions.SectionName);
        builder.Services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        builder.Services.AddSingleton<LibrdkafkaStatistics>();
        builder.Services.AddSingleton<KafkaTracing>();
        return builder;
    }
}
