using ClickstreamApi.Kafka;
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
            .WithSummary("The Kafka cluster in use (embedded or external), its bootstrap address, the topic and its partitions, and whether it answers.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        return routes;
    }

    public static Ok<KafkaInfo> GetKafka(KafkaEnvironment kafka, KafkaClusterStatus cluster)
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
            cluster.Problem()));
    }
}
