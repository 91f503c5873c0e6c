using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

public enum KafkaMode
{
    Embedded,
    External,
}

/// <summary>
/// Where the service's Kafka is: the embedded mock cluster it owns, or a configured real cluster.
/// Clients are created after this singleton and therefore disposed before it, so the embedded
/// cluster is torn down last.
/// </summary>
public sealed partial class KafkaEnvironment : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly EmbeddedKafkaCluster? _embedded;
    private int _partitions;

    public KafkaEnvironment(IOptions<KafkaOptions> options, IConfiguration configuration, ILogger<KafkaEnvironment> logger)
    {
        _options = options.Value;
        InstanceName = $"{Environment.MachineName}-{HttpPort(configuration)}".ToLowerInvariant();
        DefaultGroupId = $"clickstream-api-{InstanceName}";
        _partitions = _options.Partitions;
        if (_options.IsEmbedded)
        {
            _embedded = EmbeddedKafkaCluster.Start(_options.EmbeddedBrokers);
            Mode = KafkaMode.Embedded;
            BootstrapServers = _embedded.BootstrapServers;
            LogEmbeddedStarted(logger, _embedded.BrokerCount, BootstrapServers);
        }
        else
        {
            Mode = KafkaMode.External;
            BootstrapServers = _options.BootstrapServers!.Trim();
            LogExternal(logger, BootstrapServers);
        }
    }

    public KafkaMode Mode { get; }

    public string BootstrapServers { get; }

    public string Topic => _options.Topic;

    /// <summary>This instance among others: its host name and HTTP port.</summary>
    public string InstanceName { get; }

    /// <summary>
    /// The consumer group unless Kafka:Consumer:group.id says otherwise: one per host and HTTP port,
    /// that is one per running instance. Each instance reads the whole stream, and an instance that
    /// restarts (same host, same port) resumes from its committed offsets.
    /// </summary>
    public string DefaultGroupId { get; }

    /// <summary>The consumer group in use.</summary>
    public string GroupId => _options.Consumer.TryGetValue("group.id", out var configured) && !string.IsNullOrWhiteSpace(configured)
        ? configured
        : DefaultGroupId;

    /// <summary>The topic's partition count as last seen (configured value until provisioning reads it).</summary>
    public int Partitions
    {
        get => Volatile.Read(ref _partitions);
        internal set => Volatile.Write(ref _partitions, value);
    }

    /// <summary>
    /// For the embedded cluster: its broker checks an idempotent producer's sequence numbers only for
    /// transactional producers, so a produce request retried after a dropped connection (a broker
    /// outage) is written a second time. Those duplicates are on the topic; the consumer reports them.
    /// </summary>
    public string? DuplicatesNote => Mode == KafkaMode.Embedded
        ? "The embedded broker does not deduplicate an idempotent producer's retries (it checks sequence numbers only for transactional producers): a produce request retried after a dropped connection, as in a broker outage, is written twice. Such duplicates are on the topic, reported here as they are; a real Kafka broker writes them once."
        : null;

    internal EmbeddedKafkaCluster? Embedded => _embedded;

    internal short ReplicationFactor => _options.ReplicationFactor;

    internal TimeSpan AdminTimeout => TimeSpan.FromSeconds(_options.AdminTimeoutSeconds);

    /// <summary>
    /// The producer's settings: what the service's correctness rests on, set here, then
    /// <c>Kafka:Producer:*</c> on top, where the tunable defaults live (appsettings.json). The
    /// README's "Kafka client defaults" table is checked against the result by a test.
    /// </summary>
    public ProducerConfig CreateProducerConfig()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            ClientId = "clickstream-api-producer",
            // Idempotence gives ordered, duplicate-free delivery per partition across retries.
            EnableIdempotence = true,
            Acks = Acks.All,
            // The monitor creates the topic with the configured partitions; a produce request must not
            // have the broker create it with its own defaults first.
            AllowAutoCreateTopics = false,
            // Delivery reports only need the error (always present): no key, value, timestamp or
            // status copied back per event.
            DeliveryReportFields = "none",
        };
        Apply(config, _options.Producer);
        config.BootstrapServers = BootstrapServers;
        return config;
    }

    /// <summary>The consumer's settings: what the service relies on, set here, then <c>Kafka:Consumer:*</c> (the tunable defaults, appsettings.json) on top.</summary>
    public ConsumerConfig CreateConsumerConfig()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            ClientId = "clickstream-api-consumer",
            GroupId = DefaultGroupId,
            EnableAutoCommit = true,
            // The service reads the value and the Kafka timestamp; not marshalling the topic name and
            // headers of every message saves an allocation and a native call per message.
            ConsumeResultFields = "timestamp",
        };
        if (_embedded is not null)
        {
            // The embedded log's retention deletes only what is committed: commit often (five times a second) so the log stays short.
            config.AutoCommitIntervalMs = 200;
        }

        Apply(config, _options.Consumer);
        config.BootstrapServers = BootstrapServers;
        return config;
    }

    public AdminClientConfig CreateAdminConfig()
    {
        var config = new AdminClientConfig { BootstrapServers = BootstrapServers, ClientId = "clickstream-api-admin" };
        // Security settings (SASL/SSL) are shared with the producer's pass-through section.
        foreach (var (key, value) in _options.Producer)
        {
            if (key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
                || key.StartsWith("ssl.", StringComparison.Ordinal))
            {
                config.Set(key, value);
            }
        }

        return config;
    }

    public void Dispose() => _embedded?.Dispose();

    private static string HttpPort(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(first, UriKind.Absolute, out var uri))
            {
                return uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var ports = configuration["http_ports"];
        return string.IsNullOrWhiteSpace(ports) ? new Uri(Hosting.HostingDefaults.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : ports.Split(';')[0].Trim();
    }

    private static void Apply(ClientConfig config, Dictionary<string, string> settings)
    {
        foreach (var (key, value) in settings)
        {
            config.Set(key, value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka cluster started with {BrokerCount} broker(s) at {BootstrapServers}")]
    private static partial void LogEmbeddedStarted(ILogger logger, int brokerCount, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the Kafka cluster at {BootstrapServers}")]
    private static partial void LogExternal(ILogger logger, string bootstrapServers);
}
