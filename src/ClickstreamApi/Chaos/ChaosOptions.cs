namespace ClickstreamApi.Chaos;

/// <summary>The <c>Chaos</c> configuration section: breaking the embedded cluster on purpose.</summary>
public sealed class ChaosOptions
{
    public const string SectionName = "Chaos";

    /// <summary>
    /// Maps the <c>/api/embedded-kafka</c> endpoints (broker down/up, round-trip time, injected
    /// errors). Off by default; only ever mapped when the service runs the embedded cluster.
    /// </summary>
    public bool Enabled { get; set; }
}
