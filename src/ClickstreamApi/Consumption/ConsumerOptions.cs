using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Consumption;

/// <summary>The <c>Consumer</c> configuration section (the service's own settings; librdkafka's are under Kafka:Consumer).</summary>
public sealed class ConsumerOptions
{
    public const string SectionName = "Consumer";

    /// <summary>Start the consumer with the service.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many rejected messages are kept for <c>GET /api/events/rejected</c> (all are counted).</summary>
    [Range(1, 10_000, ErrorMessage = "Consumer:RejectedCapacity must be between 1 and 10000.")]
    public int RejectedCapacity { get; set; } = 100;

    /// <summary>How many characters of a rejected message are kept as its preview.</summary>
    [Range(16, 4096, ErrorMessage = "Consumer:PreviewLength must be between 16 and 4096.")]
    public int PreviewLength { get; set; } = 200;

    /// <summary>Read each message's Kafka headers, so recent events and the live tail show them (a native call per message; BENCHMARKS.md has its cost).</summary>
    public bool ReadHeaders { get; set; } = true;
}
