using System.Diagnostics;

namespace ClickstreamApi.Diagnostics;

/// <summary>The names under which the service reports its own metrics and traces.</summary>
public static class Instrumentation
{
    /// <summary>The service's meter and ActivitySource name (and its OpenTelemetry service name).</summary>
    public const string Name = "ClickstreamApi";

    /// <summary>
    /// Produce and consume activities. Checked with <see cref="ActivitySource.HasListeners"/> on the
    /// hot paths: with no listener (no OTLP endpoint, no test listener) nothing is created per event.
    /// </summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
