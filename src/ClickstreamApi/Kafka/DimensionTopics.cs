using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

/// <summary>
/// The names of the dimension topics (users and products), resolved from <c>Dimensions</c> and
/// <c>Kafka:Topic</c>. They are created compacted, with the click topic's partition count, wherever
/// the service creates the click topic.
/// </summary>
public sealed class DimensionTopics(IOptions<KafkaOptions> kafka, IOptions<DimensionOptions> options)
{
    /// <summary>The topic config dimension topics are created with: the newest row per key is kept.</summary>
    public static readonly IReadOnlyDictionary<string, string> TopicConfig = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };

    public bool Enabled { get; } = options.Value.Enabled;

    /// <summary>The users topic, keyed by userId.</summary>
    public string Users { get; } = Named(options.Value.UsersTopic, kafka.Value.Topic + "_users");

    /// <summary>The products topic, keyed by productId.</summary>
    public string Products { get; } = Named(options.Value.ProductsTopic, kafka.Value.Topic + "_products");

    /// <summary>Both topics when enabled; none otherwise.</summary>
    public IReadOnlyList<string> All => Enabled ? [Users, Products] : [];

    private static string Named(string? configured, string fallback) => string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();
}
