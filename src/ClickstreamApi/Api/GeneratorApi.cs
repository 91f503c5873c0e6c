using System.Globalization;
using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickstreamApi.Api;

/// <summary>Start, stop, pace and perturb the click generator.</summary>
public static class GeneratorApi
{
    public const long MaxEventsLimit = 1_000_000_000_000;

    public static IEndpointRouteBuilder MapGeneratorApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/generator").WithTags("Generator");

        group.MapGet("", GetStatus)
            .WithName("GetGenerator")
            .WithSummary("The generator's state: rate profile, target and achieved rate, delivery counters, run, seed and faults.");
        group.MapPost("/start", Start)
            .WithName("StartGenerator")
            .WithSummary("Starts a new run; the body is optional ({\"maxEvents\": N} stops by itself after N delivered events; \"seed\" replays a run). Does nothing if already running.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/stop", Stop)
            .WithName("StopGenerator")
            .WithSummary("Stops generating. Does nothing if already stopped.");
        group.MapPut("/rate", SetRate)
            .WithName("SetGeneratorRate")
            .WithSummary("Sets the rate, and optionally a profile (constant, poisson, burst, ramp); applies at once, running or not.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPut("/faults", SetFaults)
            .WithName("SetGeneratorFaults")
            .WithSummary("Injects test-data faults from now on: shares of malformed, duplicate and late events (0 to 1 each; left out means 0).")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    public static Ok<GeneratorStatus> GetStatus(GeneratorControls controls, GeneratorCounters counters, ClickProducer producer, KafkaClusterStatus cluster) =>
        TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster));

    public static Results<Ok<GeneratorStatus>, ValidationProblem, ProblemHttpResult> Start(
        StartRequest? request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster)
    {
        if (request?.MaxEvents is { } max && max is < 1 or > MaxEventsLimit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["maxEvents"] = [string.Create(CultureInfo.InvariantCulture, $"Must be between 1 and {MaxEventsLimit}.")] },
                title: "The run options are not valid.");
        }

        var current = controls.Current;
        if (current.Running && (request?.MaxEvents is not null || request?.Seed is not null))
        {
            return TypedResults.Problem(
                $"Run {current.RunId} is already running; stop it first to start a run with other options.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The generator is already running.");
        }

        controls.Start(request is null ? null : new RunOptions(request.MaxEvents, request.Seed));
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster));
    }

    public static Ok<GeneratorStatus> Stop(GeneratorControls controls, GeneratorCounters counters, ClickProducer producer,
        KafkaClusterStatus cluster)
    {
        controls.Stop();
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster));
    }

    public static Results<Ok<GeneratorStatus>, ValidationProblem> SetRate(
        SetRateRequest request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster)
    {
        var profile = ToProfile(request, controls.Current.Profile.EventsPerSecond, controls.MaxEventsPerSecond, out var errors);
        if (profile is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The rate is not valid.");
        }

        controls.SetProfile(profile);
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster));
    }

    public static Results<Ok<GeneratorStatus>, ValidationProblem> SetFaults(
        SetFaultsRequest request,
        GeneratorControls controls,
        GeneratorCounters counters,
        ClickProducer producer,
        KafkaClusterStatus cluster)
    {
        var errors = new Dictionary<string, string[]>();
        CheckShare(errors, "malformed", request.Malformed);
        CheckShare(errors, "duplicate", request.Duplicate);
        CheckShare(errors, "late", request.Late);
        if (request.LateMaxSeconds is { } lateMax && (!double.IsFinite(lateMax) || lateMax <= 0 || lateMax > FaultSettings.MaxLateSeconds))
        {
            errors["lateMaxSeconds"] = [string.Create(CultureInfo.InvariantCulture, $"Must be more than 0 and at most {FaultSettings.MaxLateSeconds} seconds.")];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The faults are not valid.");
        }

        controls.SetFaults(new FaultSettings(
            request.Malformed ?? 0,
            request.Duplicate ?? 0,
            request.Late ?? 0,
            request.LateMaxSeconds ?? FaultSettings.None.LateMaxSeconds));
        return TypedResults.Ok(GeneratorStatus.From(controls, counters, producer, cluster));
    }

    /// <summary>The profile a rate request asks for, or null with the problems by field.</summary>
    internal static RateProfile? ToProfile(SetRateRequest request, double currentRate, double max, out Dictionary<string, string[]> errors)
    {
        const string Field = "eventsPerSecond";
        errors = [];
        if (request.EventsPerSecond is not { } rate)
        {
            errors[Field] = ["The field is required: a number of events per second."];
            return null;
        }

        string? rateProblem = !double.IsFinite(rate) || rate <= 0 ? "Must be a positive number."
            : rate < GeneratorOptions.MinEventsPerSecond ? string.Create(CultureInfo.InvariantCulture, $"Must be at least {GeneratorOptions.MinEventsPerSecond} (one event every 100 seconds).")
            : rate > max ? string.Create(CultureInfo.InvariantCulture, $"Must be at most {max} (Generator:MaxEventsPerSecond).")
            : null;
        if (rateProblem is not null)
        {
            errors[Field] = [rateProblem];
        }

        var kind = request.Profile ?? RateProfileKind.Constant;
        // A ramp without a start ramps from wherever the generator is now.
        var rampFrom = request.RampFromEventsPerSecond ?? (kind == RateProfileKind.Ramp ? currentRate : null);
        var profile = new RateProfile(kind, rate, request.BurstSeconds, request.PauseSeconds, rampFrom, request.RampSeconds);
        foreach (var group in RateProfile.Validate(profile, GeneratorOptions.MinEventsPerSecond, max).GroupBy(p => p.Field))
        {
            errors.TryAdd(group.Key == "kind" ? "profile" : group.Key, [.. group.Select(p => p.Message)]);
        }

        return errors.Count == 0 ? profile : null;
    }

    private static void CheckShare(Dictionary<string, string[]> errors, string field, double? share)
    {
        if (share is { } value && (!double.IsFinite(value) || value is < 0 or > 1))
        {
            errors[field] = ["Must be a share from 0 to 1."];
        }
    }
}
