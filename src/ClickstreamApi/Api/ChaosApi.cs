using System.Globalization;
using ClickstreamApi.Chaos;
using ClickstreamApi.Kafka;
using Confluent.Kafka;
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
            .WithSummary("The embedded brokers (up or down, added round-trip time) and the Kafka errors injected so far, by request type.");
        group.MapPost("/brokers/{id}/down", SetBrokerDown)
            .WithName("SetEmbeddedBrokerDown")
            .WithSummary("Takes an embedded broker down: its connections close and new ones are refused until it is brought up. Clients queue, retry and reconnect.");
        group.MapPost("/brokers/{id}/up", SetBrokerUp)
            .WithName("SetEmbeddedBrokerUp")
            .WithSummary("Brings an embedded broker back up.");
        group.MapPut("/rtt", SetRoundTripTime)
            .WithName("SetEmbeddedRoundTripTime")
            .WithSummary($"Adds a round-trip time (0 to {MaxRoundTripMs} ms) to every response of one broker (brokerId) or of all (brokerId left out); 0 removes it.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/errors", InjectErrors)
            .WithName("InjectEmbeddedKafkaErrors")
            .WithSummary("Makes the next requests of one type (produce, fetch, metadata, ...) fail with the given Kafka error codes, one code per request, in order; "
                + "\"repeat\" repeats the list. Retriable codes (6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS) are retried by the clients.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    public static Ok<ChaosStatus> GetStatus(EmbeddedKafkaChaos chaos) => TypedResults.Ok(ChaosStatus.From(chaos));

    public static Results<Ok<BrokerChaos>, ValidationProblem> SetBrokerDown(int id, EmbeddedKafkaChaos chaos) =>
        CheckBroker(chaos, "id", id) is { } problem ? problem : TypedResults.Ok(chaos.SetBrokerDown(id));

    public static Results<Ok<BrokerChaos>, ValidationProblem> SetBrokerUp(int id, EmbeddedKafkaChaos chaos) =>
        CheckBroker(chaos, "id", id) is { } problem ? problem : TypedResults.Ok(chaos.SetBrokerUp(id));

    public static Results<Ok<ChaosStatus>, ValidationProblem> SetRoundTripTime(SetRoundTripRequest request, EmbeddedKafkaChaos chaos)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Milliseconds is not { } ms)
        {
            errors["milliseconds"] = ["The field is required: the round-trip time to add, in milliseconds."];
        }
        else if (ms is < 0 or > MaxRoundTripMs)
        {
            errors["milliseconds"] = [string.Create(CultureInfo.InvariantCulture, $"Must be between 0 and {MaxRoundTripMs}.")];
        }

        if (request.BrokerId is { } id && !IsBroker(chaos, id))
        {
            errors["brokerId"] = [BrokerRule(chaos)];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The round-trip time is not valid.");
        }

        for (var broker = 1; broker <= chaos.BrokerCount; broker++)
        {
            if (request.BrokerId is null || request.BrokerId == broker)
            {
                chaos.SetRoundTripTime(broker, request.Milliseconds!.Value);
            }
        }

        return TypedResults.Ok(ChaosStatus.From(chaos));
    }

    public static Results<Ok<ChaosStatus>, ValidationProblem> InjectErrors(InjectErrorsRequest request, EmbeddedKafkaChaos chaos)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Request is null)
        {
            errors["request"] = [$"The field is required: one of {string.Join(", ", Enum.GetNames<KafkaRequestType>().Select(ToCamel))}."];
        }

        var repeat = request.Repeat ?? 1;
        if (repeat is < 1 or > MaxErrorsPerRequest)
        {
            errors["repeat"] = [string.Create(CultureInfo.InvariantCulture, $"Must be between 1 and {MaxErrorsPerRequest}.")];
        }

        if (request.ErrorCodes is not { Length: > 0 } codes)
        {
            errors["errorCodes"] = ["The field is required: a non-empty list of Kafka error codes, e.g. [6, 7, 19]."];
        }
        else if ((long)codes.Length * Math.Max(1, repeat) > MaxErrorsPerRequest)
        {
            errors["errorCodes"] = [string.Create(CultureInfo.InvariantCulture, $"At most {MaxErrorsPerRequest} errors in all (errorCodes times repeat).")];
        }
        else if (Array.FindIndex(codes, c => c <= 0 || !Enum.IsDefined((ErrorCode)c)) is var bad and >= 0)
        {
            errors["errorCodes"] = [string.Create(CultureInfo.InvariantCulture, $"{codes[bad]} is not a Kafka protocol error code (a positive code such as 6 NOT_LEADER_OR_FOLLOWER).")];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The errors to inject are not valid.");
        }

        var list = new List<ErrorCode>(request.ErrorCodes!.Length * repeat);
        for (var i = 0; i < repeat; i++)
        {
            list.AddRange(request.ErrorCodes!.Select(c => (ErrorCode)c));
        }

        chaos.PushErrors(request.Request!.Value, list);
        return TypedResults.Ok(ChaosStatus.From(chaos));
    }

    private static ValidationProblem? CheckBroker(EmbeddedKafkaChaos chaos, string field, int id) =>
        IsBroker(chaos, id)
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [BrokerRule(chaos)] }, title: "No such embedded broker.");

    private static bool IsBroker(EmbeddedKafkaChaos chaos, int id) => id >= 1 && id <= chaos.BrokerCount;

    private static string BrokerRule(EmbeddedKafkaChaos chaos) =>
        string.Create(CultureInfo.InvariantCulture, $"Must be a broker id from 1 to {chaos.BrokerCount} (Kafka:EmbeddedBrokers).");

    private static string ToCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
