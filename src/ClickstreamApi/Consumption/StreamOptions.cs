using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Consumption;

/// <summary>The <c>Stream</c> configuration section: live tails over Server-Sent Events.</summary>
public sealed class StreamOptions
{
    public const string SectionName = "Stream";

    /// <summary>Streams open at once; more get a 503 problem.</summary>
    [Range(1, 100_000, ErrorMessage = "Stream:MaxClients must be between 1 and 100000.")]
    public int MaxClients { get; set; } = 200;

    /// <summary>Seconds of silence after which a stream sends a heartbeat comment.</summary>
    [Range(1, 300, ErrorMessage = "Stream:HeartbeatSeconds must be between 1 and 300.")]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Milliseconds a stream waits after a write to gather the next batch (fewer, larger writes at high rates).</summary>
    [Range(0, 1000, ErrorMessage = "Stream:BatchMilliseconds must be between 0 and 1000.")]
    public int BatchMilliseconds { get; set; } = 10;
}
