using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickstreamApi.Api;

/// <summary>Start, stop, pace and perturb the click generator.</summary>
public static class GeneratorApi
{
    private static readonly TimeSpan StopAcknowledgeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapGeneratorApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/generator").WithTags("Generator");

        group.MapGet("", GetStatus)
            .WithName("GetGenerator")
            .WithSummary("The generator's state: rate profile, target and achieved rate, delivery counters, run, seed and faults.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        group.MapPost("/start", Start)
            .WithName("StartGenerator")
            .AddEndpointFilter<FleetMemberGuard>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Starts a new run; the body is optional ({\"maxEvents\": N} stops by itself after N delivered events; \"seed\" replays a run; \"startAt\", \"speed\" or \"asFastAsPossible\" run it on a simulated clock). Does nothing if already running.")
            .WithValidationProblem("The run options are not valid.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPost("/stop", Stop)
            .WithName("StopGenerator")
            .AddEndpointFilter<FleetMemberGuard>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stops generating. Does nothing if already stopped.")
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPut("/rate", SetRate)
            .WithName("SetGeneratorRate")
            .AddEndpointFilter<FleetMemberGuard>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sets the rate, and optionally a profile (constant, poisson, burst, ramp, daily); applies at once, running or not.")
            .WithValidationProblem("The rate is not valid.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);
        group.MapPut("/faults", SetFaults)
            .WithName("SetGeneratorFaults")
            .AddEndpointFilter<FleetMemberGuard>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Injects test-data faults from now on: shares of malformed, duplicate and late events (0 to 1 each; left out means 0).")
            .WithValidationProblem("The faults are not valid.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ApiKeyPolicies.StateChanges);

        return routes;
    }

    public static Ok<GeneratorStatus> GetStatus(GeneratorControls controls, GeneratorCounters counters, ClickProducer producer, KafkaClusterStatus cluster, DimensionTopics dimensions) =>
        TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster, dimensions));

    public static Results<Ok<GeneratorStatus>, ProblemHttpResult> Start(
        StartRequest? request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster,
        DimensionTopics dimensions,
        TimeProvider time)
    {
        var current = controls.Current;
        if (current.Running && request is { HasOptions: true })
        {
            return TypedResults.Problem(
                $"Run {current.RunId} is already running; stop it first to start a run with other options.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The generator is already running.");
        }

        controls.Start(request?.ToRunOptions(time.GetUtcNow()));
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster, dimensions));
    }

    /// <summary>Stops, and answers once the generating loop has taken the stop in, so the counters in the answer are the run's last.</summary>
    public static async Task<Ok<GeneratorStatus>> Stop(
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster,
        DimensionTopics dimensions,
        CancellationToken cancellationToken)
    {
        controls.Stop();
        try
        {
            await counters.Idle.WaitAsync(StopAcknowledgeTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A loop stuck waiting for room in the producer's queue still stops; the answer just may not be final.
        }

        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster, dimensions));
    }

    /// <summary>Applies a rate the framework has validated (<see cref="SetRateRequest.Validate"/>).</summary>
    public static Ok<GeneratorStatus> SetRate(
        SetRateRequest request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster,
        DimensionTopics dimensions)
    {
        controls.SetProfile(request.ToProfile(controls.Current.Profile.EventsPerSecond));
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster, dimensions));
    }

    public static Ok<GeneratorStatus> SetFaults(
        SetFaultsRequest request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster,
        DimensionTopics dimensions)
    {
        controls.SetFaults(new FaultSettings(
            request.Malformed ?? 0,
            request.Duplicate ?? 0,
            request.Late ?? 0,
            request.LateMaxSeconds ?? FaultSettings.None.LateMaxSeconds));
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster, dimensions));
    }
}
