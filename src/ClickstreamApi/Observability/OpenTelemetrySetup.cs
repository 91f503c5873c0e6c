using System.Diagnostics.Metrics;
using ClickstreamApi.Consumption.Sinks;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Hosting;
using ClickstreamApi.Kafka;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClickstreamApi.Observability;

/// <summary>OpenTelemetry: the service's metrics plus ASP.NET Core's and the runtime's, at /metrics and over OTLP; traces over OTLP.</summary>
public static class OpenTelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Meters built into ASP.NET Core and .NET that are exported alongside the service's own.</summary>
    public static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
    ];

    public static WebApplicationBuilder AddOpenTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PipelineMetrics>();
        builder.Services.AddSingleton<IConsumedEventSink, LatencyMetricSink>();

        // Read here because it decides which providers exist; the validated options check the same values at start-up.
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointVariable]);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(Instrumentation.Name))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Instrumentation.Name).AddMeter(BuiltInMeters).AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Meters are matched by name across the whole process. Where several hosts share one (the
        // tests), each host's meters come from its own IMeterFactory: export only ours, plus the
        // process-wide ones (the runtime's), which belong to no factory.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory)
                ? null
                : MetricStreamConfiguration.Drop);
        });

        // No tracer provider at all unless tracing is on: then nothing listens to the ActivitySource and
        // the producer and consumer create no activities and no headers.
        if (options.TracingEnabled(builder.Configuration))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(Instrumentation.Name)
                    .AddSource("Microsoft.AspNetCore")
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }

        return builder;
    }

    /// <summary>Prometheus text format at /metrics (not an API operation, so not in the OpenAPI document).</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        // Observable instruments exist once the metrics object does; create it now rather than on first use.
        app.Services.GetRequiredService<PipelineMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        return app;
    }
}
