using System.Globalization;
using ClickstreamApi.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// Liveness and readiness through the health-check middleware, answered as <see cref="HealthResponse"/>.
/// They are request-delegate endpoints, which OpenAPI does not see by itself: their metadata here
/// (GET only, tags, name, summary, responses) is what <see cref="RequestDelegateEndpointsFilter"/> describes.
/// </summary>
public static class HealthApi
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks(LivePath, new HealthCheckOptions
            {
                // No checks: the process answering is the answer.
                Predicate = _ => false,
                ResponseWriter = WriteAsync,
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithTags("Health")
            .WithName("GetLiveness")
            .WithSummary("200 while the process serves requests.")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HealthResponse), ["application/json"]));
        routes.MapHealthChecks(ReadyPath, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(HostingDefaults.ReadyTag),
                ResponseWriter = WriteAsync,
                // Ready means healthy: a degraded check keeps traffic away as well.
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithTags("Health")
            .WithName("GetReadiness")
            .WithSummary("200 when the producer reaches Kafka and the consumer has partitions; 503 otherwise.")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HealthResponse), ["application/json"]))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthResponse), ["application/json"]));
        return routes;
    }

    /// <summary>The report as <see cref="HealthResponse"/>, with the API's JSON settings.</summary>
    internal static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var response = new HealthResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthCheckResponse(
                    entry.Value.Status.ToString(),
                    entry.Value.Description,
                    entry.Value.Data.ToDictionary(d => d.Key, d => Convert.ToString(d.Value, CultureInfo.InvariantCulture) ?? string.Empty))));
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(response, json, context.RequestAborted);
    }
}
