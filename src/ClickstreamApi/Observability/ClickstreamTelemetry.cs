using System.Diagnostics;

namespace ClickstreamApi.Observability;

/// <summary>The names under which the service reports its own metrics and traces.</summary>
public static class ClickstreamTelemetry
{
    public const string Name = "ClickstreamApi";

    /// <summary>W3C Trace Context header carried on every traced Kafka message.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>
    /// Produce and consume activities. Checked with <see cref="ActivitySource.HasListeners"/> on the
    /// hot paths: with no listener (no OTLP endpoint, no test listener) nothing is created per event.
    /// </summary>
    public static readonly ActivitySource Source = new(Name);
}
