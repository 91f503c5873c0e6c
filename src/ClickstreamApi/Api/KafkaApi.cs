using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickstreamApi.Api;

/// <summary>Where the stream lives.</summary>
public static class KafkaApi
{
    public static IEndpointRouteBuilder MapKafkaApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/kafka", GetKafka)
            .WithTags("Kafka")
            .WithName("GetKafka")
            .WithSummary("The Kafka cluster in use (embedded or external), its bootstrap address, the topic and its partitions, whether it answers, and the Schema Registry.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        return routes;
    }

    public static Ok<KafkaInfo> GetKafka(KafkaEnvironment kafka, KafkaClusterStatus cluster, SchemaRegistryEndpoint registry, SchemaRegistryRetry registryCalls, DimensionTopics dimensions, EmbeddedLogRetention retention)
    {
        var status = cluster.Current;
        return TypedResults.Ok(new KafkaInfo(
            kafka.Mode.ToString().ToLowerInvariant(),
            kafka.BootstrapServers,
            kafka.Topic,
            kafka.Partitions,
            kafka.GroupId,
            status.Reachable,
            status.Brokers,
            status.Topic.ToString().ToLowerInvariant(),
            cluster.Problem(),
            new SchemaRegistryInfo(registry.Embedded ? "embedded" : "external", registry.Url, registryCalls.FailedAttempts, registryCalls.Waiting, registryCalls.LastError),
            dimensions.All,
            retention.Keep > 0 ? new ReadRetentionInfo(retention.Keep, retention.Deleted) : null));
    }
}
