using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace ClickstreamApi.Kafka;

/// <summary>
/// Creates the topic on an external cluster when <see cref="KafkaMonitor"/> finds it missing. A
/// cluster that refuses (no permission, a policy, no controller to create topics with, as the
/// embedded cluster of another instance) is recognized from its answer and reported once with what
/// to do; the service then asks once for the cluster's automatic topic creation, and otherwise
/// waits for someone to create the topic. Transient failures are retried with back-off.
/// </summary>
internal sealed partial class TopicProvisioner(KafkaEnvironment kafka, IAdminClient admin, TimeProvider time, ILogger logger)
{
    private DateTimeOffset _nextDimensionAttempt = DateTimeOffset.MinValue;
    private TimeSpan _dimensionBackoff = FirstRetry;
    private bool _dimensionRefusalReported;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    // After a refusal, ask again now and then: permissions and policies change.
    private static readonly TimeSpan RetryAfterRefusal = TimeSpan.FromMinutes(1);

    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private TimeSpan _backoff = FirstRetry;
    private bool _refusalReported;
    private bool _autoCreationTried;

    /// <summary>Why the topic cannot be created, once the cluster said so; null while it may still be.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Makes one attempt if one is due; true when the topic was created (or already existed).</summary>
    public async Task<bool> TryCreateAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _nextAttempt)
        {
            return false;
        }

        var spec = new TopicSpecification { Name = kafka.Topic, NumPartitions = kafka.Partitions, ReplicationFactor = kafka.ReplicationFactor };
        try
        {
            await admin.CreateTopicsAsync([spec], new CreateTopicsOptions { RequestTimeout = kafka.AdminTimeout })
                .WaitAsync(kafka.AdminTimeout + TimeSpan.FromSeconds(1), cancellationToken);
            LogCreated(kafka.Topic, kafka.Partitions, kafka.BootstrapServers);
            return true;
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            return true;
        }
        catch (CreateTopicsException ex) when (ex.Results.FirstOrDefault(r => r.Error.IsError)?.Error is { } error && RefusalReason(error) is { } reason)
        {
            return Refused(reason, error.Reason);
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_TimedOut && ex.Error.Reason.Contains("controller", StringComparison.OrdinalIgnoreCase))
        {
            var seconds = (int)kafka.AdminTimeout.TotalSeconds;
            return Refused(
                $"the cluster named no controller within {seconds} s, so topics cannot be created through its Admin API (the embedded cluster of another ClickstreamApi instance never names one)",
                ex.Error.Reason);
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            LogRetrying(kafka.Topic, ex.Message, _backoff.TotalSeconds);
            _nextAttempt = time.GetUtcNow() + _backoff;
            _backoff = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, _backoff.Ticks * 2));
            return false;
        }
    }

    /// <summary>
    /// Makes one attempt, if one is due, to create the dimension topics compacted
    /// (<c>cleanup.policy=compact</c>) with <paramref name="partitions"/> partitions, the click topic's
    /// count; true once they exist (created now or before). A refusal is logged once with the command
    /// that creates them, and asked again a minute later.
    /// </summary>
    public async Task<bool> TryCreateDimensionTopicsAsync(IReadOnlyList<string> topics, int partitions, CancellationToken cancellationToken)
    {
        if (topics.Count == 0)
        {
            return true;
        }

        if (time.GetUtcNow() < _nextDimensionAttempt)
        {
            return false;
        }

        var names = string.Join(", ", topics);
        var specs = topics.Select(name => new TopicSpecification
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = kafka.ReplicationFactor,
            Configs = new Dictionary<string, string>(DimensionTopics.TopicConfig),
        }).ToList();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = kafka.AdminTimeout })
                .WaitAsync(kafka.AdminTimeout + TimeSpan.FromSeconds(1), cancellationToken);
            LogDimensionTopicsCreated(names, partitions, kafka.BootstrapServers);
            return true;
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            return true;
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            var refused = ex is CreateTopicsException create && create.Results.FirstOrDefault(r => r.Error.IsError)?.Error is { } error && RefusalReason(error) is not null
                || ex is KafkaException { Error.Code: ErrorCode.Local_TimedOut };
            if (refused)
            {
                _nextDimensionAttempt = time.GetUtcNow() + RetryAfterRefusal;
                if (!_dimensionRefusalReported)
                {
                    _dimensionRefusalReported = true;
                    LogDimensionTopicsRefused(names, kafka.BootstrapServers, ex.Message, partitions);
                }

                // As for the click topic: the cluster's automatic creation, which also finds topics that exist already.
                var found = topics.Select(AutoCreate).ToList();
                if (found.All(count => count > 0))
                {
                    LogDimensionTopicsAutoCreated(names, string.Join(", ", found), partitions);
                    return true;
                }

                return false;
            }

            LogRetrying(names, ex.Message, _dimensionBackoff.TotalSeconds);
            _nextDimensionAttempt = time.GetUtcNow() + _dimensionBackoff;
            _dimensionBackoff = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, _dimensionBackoff.Ticks * 2));
            return false;
        }
    }

    /// <summary>The user-facing reason when an error means "this cluster will not create the topic for us".</summary>
    private string? RefusalReason(Error error) => error.Code switch
    {
        ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed => "this client is not allowed to create topics",
        ErrorCode.PolicyViolation => "the cluster's topic-creation policy refused it",
        ErrorCode.InvalidReplicationFactor => $"the replication factor {kafka.ReplicationFactor} is more than the cluster can place (set Kafka:ReplicationFactor)",
        ErrorCode.InvalidPartitions => $"{kafka.Partitions} partitions are not allowed (set Kafka:Partitions)",
        ErrorCode.InvalidConfig or ErrorCode.InvalidRequest or ErrorCode.UnsupportedVersion or ErrorCode.Local_UnsupportedFeature
            => "the cluster does not support creating topics through the Admin API",
        _ => null,
    };

    private bool Refused(string reason, string kafkaReason)
    {
        Refusal = reason;
        _nextAttempt = time.GetUtcNow() + RetryAfterRefusal;
        if (!_refusalReported)
        {
            _refusalReported = true;
            LogRefused(kafka.Topic, kafka.BootstrapServers, reason, kafkaReason, kafka.Topic, kafka.Partitions, kafka.ReplicationFactor);
        }

        return TryAutoCreation();
    }

    /// <summary>
    /// Once: a metadata request that allows automatic creation, which is how producers create topics
    /// on clusters with <c>auto.create.topics.enable</c> (the broker then picks the partition count).
    /// </summary>
    private bool TryAutoCreation()
    {
        if (_autoCreationTried)
        {
            return false;
        }

        _autoCreationTried = true;
        var partitions = AutoCreate(kafka.Topic);
        if (partitions > 0)
        {
            LogAutoCreated(kafka.Topic, partitions, kafka.Partitions);
            return true;
        }

        return false;
    }

    /// <summary>A metadata request for <paramref name="topic"/> that allows automatic creation: its partition count, or 0 while it is missing.</summary>
    private int AutoCreate(string topic)
    {
        var config = kafka.CreateAdminConfig();
        config.AllowAutoCreateTopics = true;
        try
        {
            using var autoCreating = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
            var found = autoCreating.GetMetadata(topic, kafka.AdminTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
            return found is { Error.IsError: false, Partitions.Count: > 0 } ? found.Partitions.Count : 0;
        }
        catch (KafkaException)
        {
            // Then it stays missing; the refusal line already says what to do.
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} created with {Partitions} partition(s) at {BootstrapServers}")]
    private partial void LogCreated(string topic, int partitions, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dimension topics {Topics} created compacted with {Partitions} partition(s) at {BootstrapServers}")]
    private partial void LogDimensionTopicsCreated(string topics, int partitions, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka at {BootstrapServers} will not create the dimension topics {Topics} ({Reason}). Create them yourself with cleanup.policy=compact and {Partitions} partition(s), or set Dimensions:Enabled=false; until they exist their records wait in the producer's queue")]
    private partial void LogDimensionTopicsRefused(string topics, string bootstrapServers, string reason, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dimension topics {Topics} exist with {Found} partition(s) (found, or created by the cluster's automatic topic creation with its defaults: not necessarily compacted; Kafka:Partitions asks for {Configured})")]
    private partial void LogDimensionTopicsAutoCreated(string topics, string found, int configured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create topic {Topic} yet ({Reason}); trying again in {Seconds} s")]
    private partial void LogRetrying(string topic, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka at {BootstrapServers} will not create topic {Topic}: {Reason} ({KafkaReason}). Create it yourself, for example `kafka-topics.sh --bootstrap-server <servers> --create --topic {TopicToCreate} --partitions {Partitions} --replication-factor {ReplicationFactor}`, or allow this client to create it; the service goes on as soon as it exists")]
    private partial void LogRefused(string topic, string bootstrapServers, string reason, string kafkaReason, string topicToCreate, int partitions, short replicationFactor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} was created by the cluster's automatic topic creation with {Partitions} partition(s) (Kafka:Partitions asks for {Configured})")]
    private partial void LogAutoCreated(string topic, int partitions, int configured);
}
