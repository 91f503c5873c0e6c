using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

/// <summary>
/// Keeps <see cref="KafkaClusterStatus"/> current in the background: a metadata request for the
/// topic every second, topic provisioning while the topic is missing (then the dimension topics,
/// with the partitions the topic has), and the outage lines of the log. Never holds up start-up: the API answers whatever Kafka does, and everything that needs
/// Kafka comes up once it is there.
/// </summary>
internal sealed partial class KafkaMonitor(
    KafkaEnvironment kafka,
    KafkaClusterStatus status,
    DimensionTopics dimensions,
    KafkaConnectionFailures failures,
    IOptions<KafkaOptions> options,
    TimeProvider time,
    ILogger<KafkaMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly KafkaOutageTracker _outage = new(TimeSpan.FromSeconds(options.Value.OutageLogIntervalSeconds));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (kafka.Embedded is { } embedded)
        {
            // The embedded cluster is in this process: its topic exists before any client asks for it.
            embedded.CreateTopic(kafka.Topic, kafka.Partitions);
            status.ReportTopicReady(kafka.Partitions);
            LogEmbeddedTopic(kafka.Topic, kafka.Partitions, kafka.BootstrapServers);
            // The mock cluster keeps no topic configs: these are not compacted (docs/events.md, "Dimension topics").
            foreach (var dimension in dimensions.All)
            {
                embedded.CreateTopic(dimension, kafka.Partitions);
                LogEmbeddedTopic(dimension, kafka.Partitions, kafka.BootstrapServers);
            }

            if (dimensions.Enabled)
            {
                status.ReportDimensionTopicsReady();
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing below may run on the start-up path.
        await Task.Yield();
        var config = kafka.CreateAdminConfig();
        // The service creates its topic itself, with its partition count; a metadata request must not
        // create it with the broker's defaults first.
        config.AllowAutoCreateTopics = false;
        using var admin = new AdminClientBuilder(config)
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, failures, error))
            .Build();
        var provisioner = new TopicProvisioner(kafka, admin, time, logger);
        using var timer = new PeriodicTimer(ProbeInterval, time);
        var dimensionsReady = kafka.Embedded is not null;
        do
        {
            var topic = await Task.Run(() => Probe(admin), stoppingToken);
            Log(_outage.Observe(status.Current.Reachable is true, failures.Current, time.GetUtcNow()));
            if (topic is TopicState.Missing && await provisioner.TryCreateAsync(stoppingToken))
            {
                // Read it back: the partition count the cluster actually has.
                topic = await Task.Run(() => Probe(admin), stoppingToken);
            }

            if (topic is TopicState.Missing)
            {
                status.ReportTopicMissing(provisioner.Refusal);
            }
            else if (topic is TopicState.Ready && !dimensionsReady)
            {
                // The dimension topics get the partition count the click topic actually has.
                dimensionsReady = await provisioner.TryCreateDimensionTopicsAsync(dimensions.All, status.Current.Partitions, stoppingToken);
                if (dimensionsReady && dimensions.Enabled)
                {
                    status.ReportDimensionTopicsReady();
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One metadata request for the topic; updates reachability and, when it exists, the topic.</summary>
    private TopicState Probe(IAdminClient admin)
    {
        try
        {
            var metadata = admin.GetMetadata(kafka.Topic, ProbeTimeout);
            status.ReportReachable(metadata.Brokers.Count);
            var topic = metadata.Topics.SingleOrDefault(t => t.Topic == kafka.Topic);
            if (topic is { Error.IsError: false, Partitions.Count: > 0 })
            {
                if (status.Current.Topic != TopicState.Ready || status.Current.Partitions != topic.Partitions.Count)
                {
                    LogTopicFound(kafka.Topic, topic.Partitions.Count, kafka.BootstrapServers);
                }

                status.ReportTopicReady(topic.Partitions.Count);
                return TopicState.Ready;
            }

            if (topic is { Error.Code: not ErrorCode.UnknownTopicOrPart and not ErrorCode.NoError })
            {
                status.ReportTopicMissing($"{topic.Error.Code}: {topic.Error.Reason}");
            }

            return status.Current.Topic == TopicState.Ready ? TopicState.Ready : TopicState.Missing;
        }
        catch (KafkaException ex)
        {
            // A client's own recent connection error says more than the request's time-out.
            var recent = failures.Current;
            var reason = recent.LastAt is { } at && time.GetUtcNow() - at < ProbeTimeout + ProbeInterval ? recent.LastReason : null;
            status.ReportUnreachable(reason ?? ex.Error.Reason);
            return TopicState.Unknown;
        }
    }

    private void Log(OutageLine? line)
    {
        switch (line?.Kind)
        {
            case OutageLineKind.Started:
                LogOutageStarted(kafka.BootstrapServers, status.Current.LastError, options.Value.OutageLogIntervalSeconds);
                break;
            case OutageLineKind.StillUnreachable:
                LogStillUnreachable(kafka.BootstrapServers, line.Duration.TotalSeconds, line.Attempts, line.Reason);
                break;
            case OutageLineKind.Recovered:
                LogRecovered(kafka.BootstrapServers, line.Duration.TotalSeconds, line.Attempts);
                break;
            case OutageLineKind.ConnectionFailures:
                LogConnectionFailures(line.Attempts, kafka.BootstrapServers, line.Reason);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} ready with {Partitions} partition(s) at {BootstrapServers} (embedded)")]
    private partial void LogEmbeddedTopic(string topic, int partitions, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} ready with {Partitions} partition(s) at {BootstrapServers}")]
    private partial void LogTopicFound(string topic, int partitions, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka at {BootstrapServers} unreachable ({Reason}); the API keeps answering and the clients keep retrying in the background (a summary every {IntervalSeconds} s until it answers)")]
    private partial void LogOutageStarted(string bootstrapServers, string? reason, int intervalSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka at {BootstrapServers} still unreachable after {Seconds:F0} s, {Attempts} failed connection attempts (last: {Reason})")]
    private partial void LogStillUnreachable(string bootstrapServers, double seconds, long attempts, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka at {BootstrapServers} reachable again after {Seconds:F0} s ({Attempts} failed connection attempts meanwhile)")]
    private partial void LogRecovered(string bootstrapServers, double seconds, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Attempts} failed connection attempts to brokers of {BootstrapServers} while the cluster answers (last: {Reason})")]
    private partial void LogConnectionFailures(long attempts, string bootstrapServers, string? reason);
}
