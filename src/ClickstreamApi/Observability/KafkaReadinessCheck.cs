using ClickstreamApi.Consumption;
using ClickstreamApi.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Observability;

/// <summary>
/// Ready means Kafka answers, the topic exists and the consumer has partitions assigned (unless it
/// is disabled by configuration). The check reads what the Kafka monitor and the consumer last
/// found, so it answers at once, with the reason in words, whatever Kafka does.
/// </summary>
internal sealed class KafkaReadinessCheck(
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    ConsumerState consumer,
    IOptions<ConsumerOptions> consumerOptions) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = cluster.Current;
        var data = new Dictionary<string, object>
        {
            ["mode"] = kafka.Mode.ToString().ToLowerInvariant(),
            ["bootstrapServers"] = kafka.BootstrapServers,
            ["reachable"] = status.Reachable?.ToString().ToLowerInvariant() ?? "unknown",
            ["brokers"] = status.Brokers,
            ["topic"] = $"{kafka.Topic}: {status.Topic.ToString().ToLowerInvariant()}",
            ["consumerRunning"] = consumer.IsRunning,
            ["assignedPartitions"] = consumer.Partitions.Count,
        };

        return Task.FromResult(Check(cluster.Problem(), data));
    }

    private HealthCheckResult Check(string? kafkaProblem, Dictionary<string, object> data)
    {
        if (kafkaProblem is not null)
        {
            return HealthCheckResult.Unhealthy(kafkaProblem, data: data);
        }

        if (!consumerOptions.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Kafka answers and the topic exists; the consumer is disabled by configuration.", data);
        }

        if (!consumer.IsRunning)
        {
            return HealthCheckResult.Unhealthy("consumer not subscribed yet", data: data);
        }

        if (consumer.Partitions.Count > 0)
        {
            return HealthCheckResult.Healthy("Kafka answers, the topic exists and the consumer has partitions.", data);
        }

        // A group with more consumers than partitions (fleet members sharing one) leaves some without any: they
        // have joined and are ready to take partitions over, which is what a rebalance needs of them.
        return consumer.LastRebalanceAt is null
            ? HealthCheckResult.Unhealthy("consumer has no partitions yet", data: data)
            : HealthCheckResult.Healthy($"Kafka answers and the topic exists; the consumer is in group {kafka.GroupId} with no partition (the group has more consumers than the topic has partitions).", data);
    }
}
