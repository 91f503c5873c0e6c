using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Generation.Truth;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>The right answers for a run (the generator's truth) and how the consumer's own windows compare with them.</summary>
public static class TruthApi
{
    public const string NdJson = "application/x-ndjson";
    public const int DefaultReconcileLimit = 100;
    public const int MaxReconcileLimit = 10_000;

    // Flushed every this many windows, so a long run streams instead of piling up in the response buffer.
    private const int FlushEvery = 64;

    public static IEndpointRouteBuilder MapTruthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/generator/truth", GetTruth)
            .WithTags("Generator")
            .WithName("GetGeneratorTruth")
            .WithSummary("What a downstream job should compute from a run: per event-time window the counts by page and type, sessions started and ended, purchases and revenue, distinct users, and the faults injected into it.")
            .WithDescription(
                "`runId` defaults to the newest run. JSON by default; with `Accept: application/x-ndjson` one window per line, streamed. "
                + "Windows are Windows:WindowSeconds long (15 s by default) on the events' occurredAt; the counts are of the events the "
                + "generator handed to Kafka, each once; `injected` says what the duplicate fault added and which events were sent late.")
            .Produces<TruthResponse>(StatusCodes.Status200OK, "application/json", NdJson)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithValidationProblem("The query is not valid.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        routes.MapGet("/api/stats/reconcile", Reconcile)
            .WithTags("Stats")
            .WithName("ReconcileWithTruth")
            .WithSummary("Compares the consumer's own event-time windows of a run with the generator's truth, for every window closed on both sides: equal, or the exact differences and whether the injected duplicates explain them.")
            .WithDescription(
                "`runId` defaults to the newest run; `limit` (1 to 10000, default 100) caps the windows listed; `all=true` lists equal windows too. "
                + "A window is compared once both sides' newest event time is past its end by Windows:AllowedLatenessSeconds; sessions once both have ended them.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithValidationProblem("The query is not valid.")
            .RequireAuthorization(ApiKeyPolicies.Reads);
        return routes;
    }

    public static Results<TruthResult, ProblemHttpResult> GetTruth(TruthStore truths, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, [AsParameters] TruthQuery query, HttpRequest request)
    {
        if (Find(truths, query.RunId) is not { } truth)
        {
            return NotFound(truths, query.RunId);
        }

        var ndjson = request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdJson, StringComparison.OrdinalIgnoreCase));
        return new TruthResult(truth, (int)truths.Options.WindowLength.TotalSeconds, ndjson, json.Value.SerializerOptions);
    }

    public static Results<Ok<ReconcileReport>, ProblemHttpResult> Reconcile(TruthStore truths, RunWindowsStore consumed, [AsParameters] ReconcileQuery query)
    {
        if (Find(truths, query.RunId) is not { } truth)
        {
            return NotFound(truths, query.RunId);
        }

        var report = Reconciler.Compare(
            truth.Events,
            truth.Duplicates,
            start => truth.InjectedAt(start) is var injected ? (injected.Late, injected.Malformed) : default,
            truth.Late,
            truth.Malformed,
            consumed.Find(truth.RunId),
            query.All ?? false,
            query.Limit ?? DefaultReconcileLimit);
        return TypedResults.Ok(report);
    }

    private static RunTruth? Find(TruthStore truths, string? runId) => string.IsNullOrEmpty(runId) ? truths.Latest : truths.Find(runId);

    private static ProblemHttpResult NotFound(TruthStore truths, string? runId) => TypedResults.Problem(
        string.IsNullOrEmpty(runId)
            ? "No run has started since the service started: the truth is recorded while a run generates."
            : $"No truth for run {runId}: it is not one of the last Windows:RunsKept ({truths.Options.RunsKept}) runs of this instance ({truths.ForgottenRuns} older runs forgotten).",
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown run.");

    /// <summary>Writes a run's truth window by window, as one JSON document or as NDJSON.</summary>
    public sealed class TruthResult(RunTruth truth, int windowSeconds, bool ndjson, JsonSerializerOptions options) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = ndjson ? NdJson : "application/json; charset=utf-8";
            var windowInfo = options.GetTypeInfo(typeof(TruthWindow));
            await using var writer = new Utf8JsonWriter(response.BodyWriter.AsStream(), new JsonWriterOptions { Indented = false, SkipValidation = ndjson });
            var cancel = httpContext.RequestAborted;
            if (!ndjson)
            {
                writer.WriteStartObject();
                writer.WriteString("runId", truth.RunId);
                writer.WriteNumber("seed", truth.Seed);
                writer.WriteNumber("windowSeconds", windowSeconds);
                writer.WriteBoolean("complete", truth.Complete);
                writer.WriteNumber("events", truth.Events.Events);
                writer.WriteNumber("duplicates", truth.Duplicates.Events);
                writer.WriteNumber("late", truth.Late);
                writer.WriteNumber("malformed", truth.Malformed);
                writer.WriteNumber("evictedWindows", truth.Events.EvictedWindows);
                writer.WriteNumber("sessionsCutShort", truth.Events.SessionsCutShort);
                writer.WriteStartArray("windows");
            }

            var written = 0;
            foreach (var totals in truth.Events.Windows())
            {
                var injected = truth.InjectedAt(totals.Start);
                var window = TruthWindow.From(truth.RunId, totals, truth.Duplicates.Window(totals.Start), injected.Late, injected.Malformed);
                JsonSerializer.Serialize(writer, window, windowInfo);
                if (ndjson)
                {
                    await writer.FlushAsync(cancel);
                    await response.BodyWriter.WriteAsync("\n"u8.ToArray(), cancel);
                    writer.Reset();
                }

                if (++written % FlushEvery == 0)
                {
                    await writer.FlushAsync(cancel);
                    await response.BodyWriter.FlushAsync(cancel);
                }
            }

            if (!ndjson)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            await writer.FlushAsync(cancel);
        }
    }
}

/// <summary>The query of <c>/api/generator/truth</c>.</summary>
/// <param name="RunId">The run (default: the newest).</param>
public sealed record TruthQuery([FromQuery(Name = "runId")] string? RunId);

/// <summary>The query of <c>/api/stats/reconcile</c>.</summary>
/// <param name="RunId">The run (default: the newest).</param>
/// <param name="Limit">Most windows listed, 1 to 10000 (default 100).</param>
/// <param name="All">List equal windows too (default false: only windows that differ).</param>
public sealed record ReconcileQuery(
    [FromQuery(Name = "runId")] string? RunId,
    [FromQuery(Name = "limit")] [Range(1, TruthApi.MaxReconcileLimit, ErrorMessage = "Must be between {1} and {2}.")] int? Limit,
    [FromQuery(Name = "all")] bool? All);
