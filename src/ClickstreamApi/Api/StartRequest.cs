using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Api;

/// <summary>Options for a new run; the body is optional.</summary>
/// <param name="MaxEvents">Stop by itself once this many events are delivered (1 to 1,000,000,000,000).</param>
/// <param name="Seed">Seed of the simulation; the same seed replays the same events (default: Generator:Seed, else random).</param>
/// <param name="Format">How the run writes its events: json, avro or json-schema (default: Output:Format).</param>
/// <param name="StartAt">Run on a simulated clock that begins here (ISO 8601, 1970 to 2200); events carry its time. With the same seed, startAt and maxEvents, two instances write the same bytes.</param>
/// <param name="Speed">Simulated seconds per real second (more than 0, up to 1,000,000; default 1). Implies a simulated clock (from now when startAt is left out).</param>
/// <param name="AsFastAsPossible">Backfill: generate without waiting, the simulated clock jumping from event to event. Not with speed.</param>
/// <param name="EndAt">Simulated runs only: complete before the first event at or after this moment (after startAt).</param>
public sealed record StartRequest(
    [Range(1, StartRequest.MaxEventsLimit, ErrorMessage = "Must be between {1} and {2}.")] long? MaxEvents = null,
    int? Seed = null,
    [AllowedValues(null, OutputFormats.JsonName, OutputFormats.AvroName, OutputFormats.JsonSchemaName, ErrorMessage = "Must be one of json, avro, json-schema.")] string? Format = null,
    DateTimeOffset? StartAt = null,
    [Range(0d, SimulatedClock.MaxSpeed, MinimumIsExclusive = true, ErrorMessage = "Must be more than 0 and at most {2} simulated seconds per second.")] double? Speed = null,
    bool? AsFastAsPossible = null,
    DateTimeOffset? EndAt = null) : IValidatableObject
{
    public const long MaxEventsLimit = 1_000_000_000_000;

    /// <summary>Whether the run asks for a simulated clock at all.</summary>
    public bool Simulated => AsksForClock(StartAt, Speed, AsFastAsPossible, EndAt);

    /// <summary>Whether any run option is set (a running generator refuses them rather than ignore them).</summary>
    public bool HasOptions => MaxEvents is not null || Seed is not null || Format is not null || Simulated || AsFastAsPossible is not null;

    /// <summary>The run's options; a simulated clock without a start begins at <paramref name="now"/>.</summary>
    public RunOptions ToRunOptions(DateTimeOffset now) => new(
        MaxEvents,
        Seed,
        OutputFormats.TryParse(Format, out var format) ? format : null,
        ClockOf(StartAt, Speed, AsFastAsPossible, EndAt, now));

    /// <summary>The simulated clock the fields ask for (any of them set), beginning at <paramref name="now"/> without a start; null on the wall clock. A fleet run's start takes the same fields.</summary>
    internal static SimulatedClock? ClockOf(DateTimeOffset? startAt, double? speed, bool? asFastAsPossible, DateTimeOffset? endAt, DateTimeOffset now) =>
        AsksForClock(startAt, speed, asFastAsPossible, endAt) ? new SimulatedClock(startAt ?? now, speed ?? 1, asFastAsPossible == true, endAt) : null;

    private static bool AsksForClock(DateTimeOffset? startAt, double? speed, bool? asFastAsPossible, DateTimeOffset? endAt) =>
        startAt is not null || speed is not null || asFastAsPossible == true || endAt is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ValidateClock(StartAt, Speed, AsFastAsPossible, EndAt);

    /// <summary>The rules of a simulated clock's fields that depend on each other (a fleet run's start has the same ones).</summary>
    internal static IEnumerable<ValidationResult> ValidateClock(DateTimeOffset? StartAt, double? Speed, bool? AsFastAsPossible, DateTimeOffset? EndAt)
    {
        if (StartAt is { } start && (start < SimulatedClock.MinStartAt || start >= SimulatedClock.MaxStartAt))
        {
            yield return new ValidationResult("Must be from 1970-01-01T00:00:00Z up to (not including) 2200-01-01T00:00:00Z.", ["startAt"]);
        }

        if (AsFastAsPossible == true && Speed is not null)
        {
            yield return new ValidationResult("Does not apply with asFastAsPossible: a backfill has no speed; leave one of them out.", ["speed"]);
        }

        if (EndAt is { } end)
        {
            if (StartAt is null)
            {
                yield return new ValidationResult("Needs startAt: the simulated clock it ends.", ["endAt"]);
            }
            else if (end <= StartAt)
            {
                yield return new ValidationResult("Must be after startAt.", ["endAt"]);
            }
        }
    }
}
