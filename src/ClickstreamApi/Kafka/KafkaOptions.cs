using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Kafka;

/// <summary>The <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Empty (the default) runs the embedded cluster; anything else is a real cluster's bootstrap list.</summary>
    public string? BootstrapServers { get; set; }

    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]{1,249}$", ErrorMessage = "Kafka:Topic must be 1-249 characters of letters, digits, '.', '_' or '-'.")]
    public string Topic { get; set; } = "user_clickstream";

    /// <summary>Partitions of the topic when this service creates it.</summary>
    [Range(1, 1000, ErrorMessage = "Kafka:Partitions must be between 1 and 1000.")]
    public int Partitions { get; set; } = 6;

    /// <summary>Replication factor when this service creates the topic on a real cluster.</summary>
    [Range(1, 16, ErrorMessage = "Kafka:ReplicationFactor must be between 1 and 16.")]
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>Brokers in the embedded cluster.</summary>
    [Range(1, 9, ErrorMessage = "Kafka:EmbeddedBrokers must be between 1 and 9.")]
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>
    /// Embedded cluster only: while a live run generates (wall clock, no maxEvents), messages per
    /// partition of the click topic kept once the service's consumer group has committed them; older
    /// ones are deleted (a fetch walks the embedded broker's log from its oldest message set, so a short
    /// log keeps latency low). Bounded and simulated runs (datasets) are kept whole. 0 keeps everything
    /// up to the broker's own limit of about 5 MiB per partition.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = "Kafka:EmbeddedReadRetention must be between 0 (off) and 10,000,000 messages per partition.")]
    public int EmbeddedReadRetention { get; set; } = 1000;

    /// <summary>How long a topic-creation request may take against a real cluster (a cluster without a controller is recognized after this long).</summary>
    [Range(1, 300, ErrorMessage = "Kafka:AdminTimeoutSeconds must be between 1 and 300.")]
    public int AdminTimeoutSeconds { get; set; } = 5;

    /// <summary>While Kafka is unreachable, seconds between the log's summary lines (librdkafka's per-retry lines are counted instead).</summary>
    [Range(1, 3600, ErrorMessage = "Kafka:OutageLogIntervalSeconds must be between 1 and 3600.")]
    public int OutageLogIntervalSeconds { get; set; } = 30;

    /// <summary>librdkafka producer properties passed through as they are (<c>Kafka:Producer:linger.ms</c>).</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    /// <summary>librdkafka consumer properties passed through as they are (<c>Kafka:Consumer:fetch.wait.max.ms</c>).</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    public bool IsEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);
}
