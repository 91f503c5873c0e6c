using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClickstreamApi.Api;

/// <summary>Liveness and readiness, described in OpenAPI like every other endpoint.</summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health");
        group.MapGet("/live", Live)
            .WithName("GetLiveness")
            .WithSummary("200 while the process serves requests.");
        group.MapGet("/ready", Ready)
            .WithName("GetReadiness")
            .WithSummary("200 when the producer reaches Kafka and the consumer has partitions; 503 otherwise.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    public static Ok<HealthResponse> Live() =>
        TypedResults.Ok(new HealthResponse(nameof(HealthStatus.Healthy), 0, new Dictionary<string, HealthCheckResponse>()));

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(
        HealthCheckService health,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        var response = new HealthResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthCheckResponse(
                    entry.Value.Status.ToString(),
                    entry.Value.Description,
                    entry.Value.Data.ToDictionary(d => d.Key, d => Convert.ToString(d.Value, CultureInfo.InvariantCulture) ?? string.Empty))));
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
