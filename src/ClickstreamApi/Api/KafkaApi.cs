using ClickstreamApi.Kafka;
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
            .WithSummary("The Kafka cluster in use (embedded or external), its bootstrap address, the topic and its partitions.");
        return routes;
    }

    public static Ok<KafkaInfo> GetKafka(KafkaEnvironment kafka) =>
        TypedResults.Ok(new KafkaInfo(kafka.Mode.ToString().ToLowerInvariant(), kafka.BootstrapServers, kafka.Topic, kafka.Partitions, kafka.GroupId));
}
