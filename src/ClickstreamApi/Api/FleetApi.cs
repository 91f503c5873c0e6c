using ClickstreamApi.Fleet;
using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;
using ClickstreamApi.Security;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// A fleet of instances steered as one (Fleet:Enabled): commands published to the fleet's control
/// topic from any member, applied by every member; the merged view of every member's snapshot.
/// </summary>
public static class FleetApi
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/fleet").WithTags("Fleet");
        group.MapGet("", GetStatus)
            .WithName("GetFleet")
            .WithSummary("The fleet: its state (running, total rate, faults, last command), every live member's latest snapshot (shards, rate, run, delivery counters), members lost without leaving, and totals.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        group.MapGet("/commands/{id}", GetCommand)
            .WithName("GetFleetCommand")
            .WithSummary("A fleet command and which live members have applied it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(ApiKeyPolicies.Reads);
        group.MapPost("/start", Start)
            .WithName("StartFleet")
            .WithSummary("Starts a fleet run: every member starts a run of its own with its share of the fleet's rate (body optional: seed, format, and a simulated clock every member shares: startAt, speed, asFastAsPossible, endAt). Answers once the command is on the control topic.")
            .WithValidationProblem("The run options are not valid.")
            .AsFleetCommand();
        group.MapPost("/stop", Stop)
            .WithName("StopFleet")
            .WithSummary("Stops the fleet run on every member.")
            .AsFleetCommand();
        group.MapPut("/rate", SetRate)
            .WithName("SetFleetRate")
            .WithSummary("Sets the fleet's total rate and profile; each member takes the share of the shards it owns.")
            .WithValidationProblem("The rate is not valid.")
            .AsFleetCommand();
        group.MapPut("/faults", SetFaults)
            .WithName("SetFleetFaults")
            .WithSummary("Sets the test-data faults on every member.")
            .WithValidationProblem("The faults are not valid.")
            .AsFleetCommand();
        return routes;
    }

    /// <summary>What every command endpoint answers besides 202: 409 when fleet mode is off, 503 when Kafka does not take the command; and the API key.</summary>
    private static RouteHandlerBuilder AsFleetCommand(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .RequireAuthorization(ApiKeyPolicies.StateChanges);

    public static Ok<FleetStatus> GetStatus(FleetView view, FleetSteering steering, Analytics.StreamAnalytics analytics, KafkaEnvironment kafka, IOptions<FleetOptions> options)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.Ok(new FleetStatus(false, null, null, null, null, null, [], [], FleetTotals.Of([]), null, 0, null));
        }

        var members = view.LiveMembers();
        return TypedResults.Ok(new FleetStatus(
            true,
            options.Value.Name,
            steering.Member,
            view.ShardCount,
            view.Problem,
            view.State,
            members,
            view.LostMembers(),
            FleetTotals.Of(members),
            FleetRunReport.Of(view, steering.Member, kafka.GroupId, members, analytics.Latest.Integrity),
            view.RejectedMessages,
            FleetAnalyticsMerger.Merge(kafka.GroupId, members)));
    }

    public static Results<Ok<FleetCommandStatus>, ProblemHttpResult> GetCommand(string id, FleetView view, IOptions<FleetOptions> options)
    {
        if (!options.Value.Enabled)
        {
            return NotAMember();
        }

        if (view.Command(id) is not { } found)
        {
            return TypedResults.Problem($"No fleet command {id} is known here (the newest 1,000 are kept).", statusCode: StatusCodes.Status404NotFound, title: "Unknown command.");
        }

        var members = view.LiveMembers();
        var (command, position) = found;
        return TypedResults.Ok(new FleetCommandStatus(
            command.Id,
            command.Kind,
            command.IssuedAt,
            command.IssuedBy,
            position,
            [.. members.Where(m => m.CommandsApplied >= position).Select(m => m.Member)],
            [.. members.Where(m => position is null || m.CommandsApplied < position).Select(m => m.Member)]));
    }

    public static Task<Results<Accepted<FleetCommandStatus>, ProblemHttpResult>> Start(FleetStartRequest? request, [AsParameters] FleetCommandServices fleet, CancellationToken cancellationToken) =>
        PublishAsync(fleet, FleetCommandKind.Start, command => command with { Seed = request?.Seed ?? Random.Shared.Next(), Format = request?.OutputFormat, Clock = request?.ClockFrom(command.IssuedAt) }, cancellationToken);

    public static Task<Results<Accepted<FleetCommandStatus>, ProblemHttpResult>> Stop([AsParameters] FleetCommandServices fleet, CancellationToken cancellationToken) =>
        PublishAsync(fleet, FleetCommandKind.Stop, command => command, cancellationToken);

    /// <summary>The rate is validated by the framework like the single instance's (<see cref="SetRateRequest.Validate"/>): it is the fleet's total.</summary>
    public static Task<Results<Accepted<FleetCommandStatus>, ProblemHttpResult>> SetRate(SetRateRequest request, [AsParameters] FleetCommandServices fleet, CancellationToken cancellationToken) =>
        PublishAsync(fleet, FleetCommandKind.Rate, command => command with { Rate = request.ToProfile(fleet.View.State.Rate.EventsPerSecond) }, cancellationToken);

    public static Task<Results<Accepted<FleetCommandStatus>, ProblemHttpResult>> SetFaults(SetFaultsRequest request, [AsParameters] FleetCommandServices fleet, CancellationToken cancellationToken) =>
        PublishAsync(fleet, FleetCommandKind.Faults, command => command with { Faults = FleetFaults.From(request) }, cancellationToken);

    private static async Task<Results<Accepted<FleetCommandStatus>, ProblemHttpResult>> PublishAsync(
        FleetCommandServices fleet,
        FleetCommandKind kind,
        Func<FleetCommand, FleetCommand> details,
        CancellationToken cancellationToken)
    {
        if (!fleet.Options.Value.Enabled)
        {
            return NotAMember();
        }

        var view = fleet.View;
        if (view.ShardCount is null)
        {
            return TypedResults.Problem(view.Problem ?? "The fleet's topics are not found yet.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "This member has not joined the fleet yet.");
        }

        var now = fleet.Time.GetUtcNow();
        var command = details(new FleetCommand(Guid.CreateVersion7(now).ToString(), kind, now, fleet.Steering.Member));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await fleet.Publisher.PublishAsync(command, timeout.Token);
            view.Published(command);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem($"The command could not be published to the fleet's control topic: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Kafka did not take the command.");
        }

        var members = view.LiveMembers();
        return TypedResults.Accepted($"/api/fleet/commands/{command.Id}", new FleetCommandStatus(command.Id, kind, now, command.IssuedBy, null, [], [.. members.Select(m => m.Member)]));
    }

    private static ProblemHttpResult NotAMember() => TypedResults.Problem(
        "This instance is not a fleet member: start it with Fleet:Enabled=true (and the same Fleet:Name as the others).",
        statusCode: StatusCodes.Status409Conflict,
        title: "Fleet mode is off.");
}

/// <summary>What a fleet command endpoint needs: the member's view and name, the publisher, the options and the clock.</summary>
public readonly record struct FleetCommandServices(FleetView View, FleetSteering Steering, FleetPublisher Publisher, IOptions<FleetOptions> Options, TimeProvider Time);
