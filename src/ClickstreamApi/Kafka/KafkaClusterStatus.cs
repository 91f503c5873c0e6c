using System.Globalization;

namespace ClickstreamApi.Kafka;

/// <summary>What the service knows of its topic.</summary>
public enum TopicState
{
    /// <summary>Not asked yet (Kafka not reached).</summary>
    Unknown,

    /// <summary>The cluster says it does not exist (and it could not be created, or is being created).</summary>
    Missing,

    /// <summary>It exists, with a known number of partitions.</summary>
    Ready,
}

/// <summary>The cluster as <see cref="KafkaMonitor"/> last found it.</summary>
/// <param name="Reachable">Whether the last metadata request was answered; null until the first one finished.</param>
/// <param name="UnreachableSince">When the current outage began (first failed request since the last answer).</param>
/// <param name="LastError">Why the last request failed, in librdkafka's words.</param>
/// <param name="Brokers">Brokers the cluster named in its last answer.</param>
/// <param name="Topic">Whether the topic exists.</param>
/// <param name="Partitions">The topic's partitions when it exists.</param>
/// <param name="TopicProblem">Why the topic is missing and what to do, when known (creation refused, not allowed, ...).</param>
/// <param name="CheckedAt">When the last request finished.</param>
/// <param name="DimensionTopicsReady">Whether the dimension topics are known to exist (created or found); false while they are not, or when they are off.</param>
public sealed record KafkaClusterSnapshot(
    bool? Reachable,
    DateTimeOffset? UnreachableSince,
    string? LastError,
    int Brokers,
    TopicState Topic,
    int Partitions,
    string? TopicProblem,
    DateTimeOffset? CheckedAt,
    bool DimensionTopicsReady = false);

/// <summary>
/// Reachability of the cluster and state of the topic, written by <see cref="KafkaMonitor"/> and
/// read by readiness, the API and the consumer (which subscribes once the topic exists). Reading is
/// free: no request to Kafka is made on a reader's thread.
/// </summary>
public sealed class KafkaClusterStatus(KafkaEnvironment kafka, TimeProvider time)
{
    private readonly TaskCompletionSource _topicReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private KafkaClusterSnapshot _current = new(null, null, null, 0, TopicState.Unknown, 0, null, null);

    public KafkaClusterSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Completes once the topic has been found or created (it stays completed).</summary>
    public Task TopicReady => _topicReady.Task;

    /// <summary>
    /// What stands between the service and a working Kafka, in words, or null when nothing does:
    /// <c>Kafka at 127.0.0.1:1 unreachable for 12 s (...)</c>, <c>topic user_clickstream not found at ...</c>.
    /// </summary>
    public string? Problem()
    {
        var current = Current;
        if (current.Reachable is null)
        {
            return $"Kafka at {kafka.BootstrapServers} not reached yet (the first request is under way)";
        }

        if (current.Reachable is false)
        {
            var seconds = current.UnreachableSince is { } since ? (time.GetUtcNow() - since).TotalSeconds : 0;
            return string.Create(CultureInfo.InvariantCulture, $"Kafka at {kafka.BootstrapServers} unreachable for {seconds:F0} s ({current.LastError})");
        }

        if (current.Topic != TopicState.Ready)
        {
            return current.TopicProblem is { } problem
                ? $"topic {kafka.Topic} not found at {kafka.BootstrapServers}: {problem}"
                : $"topic {kafka.Topic} not found at {kafka.BootstrapServers}";
        }

        return null;
    }

    internal void ReportReachable(int brokers) =>
        Update(c => c with { Reachable = true, UnreachableSince = null, LastError = null, Brokers = brokers, CheckedAt = time.GetUtcNow() });

    internal void ReportUnreachable(string error)
    {
        var now = time.GetUtcNow();
        Update(c => c with { Reachable = false, UnreachableSince = c.UnreachableSince ?? now, LastError = error, CheckedAt = now });
    }

    internal void ReportTopicReady(int partitions)
    {
        kafka.Partitions = partitions;
        Update(c => c with { Topic = TopicState.Ready, Partitions = partitions, TopicProblem = null });
        _topicReady.TrySetResult();
    }

    internal void ReportDimensionTopicsReady() => Update(c => c with { DimensionTopicsReady = true });

    internal void ReportTopicMissing(string? problem) =>
        Update(c => c with { Topic = c.Topic == TopicState.Ready ? TopicState.Ready : TopicState.Missing, TopicProblem = problem ?? c.TopicProblem });

    private void Update(Func<KafkaClusterSnapshot, KafkaClusterSnapshot> change)
    {
        // One writer (the monitor), so a plain read-modify-write is enough.
        Volatile.Write(ref _current, change(Current));
    }
}
