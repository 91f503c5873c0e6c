using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Diagnostics;

/// <summary>The <c>Telemetry</c> configuration section: metrics, librdkafka statistics and tracing.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard OpenTelemetry variable; when set, traces (and metrics) are exported over OTLP to it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Milliseconds between librdkafka statistics reports turned into metrics; 0 turns them off.</summary>
    [Range(0, 3_600_000, ErrorMessage = "Telemetry:KafkaStatisticsIntervalMs must be between 0 and 3600000.")]
    public int KafkaStatisticsIntervalMs { get; set; } = 5000;

    /// <summary>
    /// Trace produce and consume (a traceparent header on every message, an Activity on each side).
    /// Null means on exactly when <see cref="OtlpEndpointVariable"/> is set, so the default costs nothing.
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>Share of new traces recorded (0 to 1); traces continued from a sampled parent are always recorded.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Telemetry:TraceSampleRatio must be between 0 and 1.")]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>Whether tracing is on, given the configuration (for the OTLP variable).</summary>
    public bool TracingEnabled(IConfiguration configuration) =>
        Tracing ?? !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
}
