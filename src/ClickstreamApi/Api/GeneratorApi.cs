using System.Globalization;
using ClickstreamApi.Generation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickstreamApi.Api;

/// <summary>Start, stop and pace the click generator.</summary>
public static class GeneratorApi
{
    public static IEndpointRouteBuilder MapGeneratorApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/generator").WithTags("Generator");

        group.MapGet("", GetStatus)
            .WithName("GetGenerator")
            .WithSummary("The generator's state, rate and delivery counters.");
        group.MapPost("/start", Start)
            .WithName("StartGenerator")
            .WithSummary("Starts generating (a new run). Does nothing if already running.");
        group.MapPost("/stop", Stop)
            .WithName("StopGenerator")
            .WithSummary("Stops generating. Does nothing if already stopped.");
        group.MapPut("/rate", SetRate)
            .WithName("SetGeneratorRate")
            .WithSummary("Sets the target rate in events per second; applies at once, running or not.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    public static Ok<GeneratorStatus> GetStatus(GeneratorController controller, ClickProducer producer) =>
        TypedResults.Ok(GeneratorStatus.From(controller, producer));

    public static Ok<GeneratorStatus> Start(GeneratorController controller, ClickProducer producer)
    {
        controller.Start();
        return TypedResults.Ok(GeneratorStatus.From(controller, producer));
    }

    public static Ok<GeneratorStatus> Stop(GeneratorController controller, ClickProducer producer)
    {
        controller.Stop();
        return TypedResults.Ok(GeneratorStatus.From(controller, producer));
    }

    public static Results<Ok<GeneratorStatus>, ValidationProblem> SetRate(
        SetRateRequest request,
        GeneratorController controller,
        ClickProducer producer)
    {
        var error = ValidateRate(request, controller.MaxEventsPerSecond);
        if (error is not null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [error.Value.Field] = [error.Value.Message] },
                title: "The rate is not valid.");
        }

        controller.SetRate(request.EventsPerSecond!.Value);
        return TypedResults.Ok(GeneratorStatus.From(controller, producer));
    }

    internal static (string Field, string Message)? ValidateRate(SetRateRequest request, double max)
    {
        const string Field = "eventsPerSecond";
        if (request.EventsPerSecond is not { } rate)
        {
            return (Field, "The field is required: a number of events per second.");
        }

        if (!double.IsFinite(rate) || rate <= 0)
        {
            return (Field, "Must be a positive number.");
        }

        if (rate < GeneratorOptions.MinEventsPerSecond)
        {
            return (Field, string.Create(CultureInfo.InvariantCulture, $"Must be at least {GeneratorOptions.MinEventsPerSecond} (one event every 100 seconds)."));
        }

        if (rate > max)
        {
            return (Field, string.Create(CultureInfo.InvariantCulture, $"Must be at most {max} (Generator:MaxEventsPerSecond)."));
        }

        return null;
    }
}
