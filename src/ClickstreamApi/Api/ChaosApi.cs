using ClickstreamApi.Chaos;
using ClickstreamApi.Kafka;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// Break the embedded cluster on purpose, to watch how Kafka clients (this service's, kcat, yours)
/// behave under failure. Mapped only in embedded mode with Chaos:Enabled=true; otherwise every
/// path below is a 404.
/// </summary>
public static class ChaosApi
{
    public const int MaxRoundTripMs = 60_000;
    public const int MaxErrorsPerRequest = 10_000;
    private const string NoSuchBroker = "No such embedded broker.";

    public static IEndpointRouteBuilder MapChaosApi(this IEndpointRouteBuilder routes)
    {
        var chaos = routes.ServiceProvider.GetRequiredService<IOptions<ChaosOptions>>().Value;
        var kafka = routes.ServiceProvider.GetRequiredService<IOptions<KafkaOptions>>().Value;
        if (!chaos.Enabled || !kafka.IsEmbedded)
        {
            return routes;
        }

        var group = routes.MapGroup("/api/embedded-kafka").WithTags("Chaos (embedded Kafka)");

        group.MapGet("", GetStatus)
            .WithName("GetEmbeddedKafkaChaos")
            .WithSummary("The embedded brokers (up or down, added round-trip time) and the Kafka errors injected so far, by request type.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        group.MapPost("/brokers/{id}/down", SetBrokerDown)
            .WithName("SetEmbeddedBrokerDown")
            .WithSummary("Takes an embedded broker down: its connections close and new ones are refused until it is brought up. Clients queue, retry and reconnect.")
            .WithValidationProblem(NoSuchBroker)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPost("/brokers/{id}/up", SetBrokerUp)
            .WithName("SetEmbeddedBrokerUp")
            .WithSummary("Brings an embedded broker back up.")
            .WithValidationProblem(NoSuchBroker)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPut("/rtt", SetRoundTripTime)
            .WithName("SetEmbeddedRoundTripTime")
            .WithSummary($"Adds a round-trip time (0 to {MaxRoundTripMs} ms) to every response of one broker (brokerId) or of all (brokerId left out); 0 removes it.")
            .WithValidationProblem("The round-trip time is not valid.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPost("/errors", InjectErrors)
            .WithName("InjectEmbeddedKafkaErrors")
            .WithSummary("Makes the next requests of one type (produce, fetch, metadata, ...) fail with the given Kafka error codes, one code per request, in order; "
                + "\"repeat\" repeats the list. Retriable codes (6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS) are retried by the clients.")
            .WithValidationProblem("The errors to inject are not valid.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);

        return routes;
    }

    public static Ok<ChaosStatus> GetStatus(EmbeddedKafkaChaos chaos) => TypedResults.Ok(ChaosStatus.From(chaos));

    public static Ok<BrokerChaos> SetBrokerDown([EmbeddedBroker] int id, EmbeddedKafkaChaos chaos) => TypedResults.Ok(chaos.SetBrokerDown(id));

    public static Ok<BrokerChaos> SetBrokerUp([EmbeddedBroker] int id, EmbeddedKafkaChaos chaos) => TypedResults.Ok(chaos.SetBrokerUp(id));

    public static Ok<ChaosStatus> SetRoundTripTime(SetRoundTripRequest request, EmbeddedKafkaChaos chaos)
    {
        for (var broker = 1; broker <= chaos.BrokerCount; broker++)
        {
            if (request.BrokerId is null || request.BrokerId == broker)
            {
                chaos.SetRoundTripTime(broker, request.Milliseconds!.Value);
            }
        }

        return TypedResults.Ok(ChaosStatus.From(chaos));
    }

    public static Ok<ChaosStatus> InjectErrors(InjectErrorsRequest request, EmbeddedKafkaChaos chaos)
    {
        chaos.PushErrors(request.Request!.Value, request.Errors());
        return TypedResults.Ok(ChaosStatus.From(chaos));
    }
}
