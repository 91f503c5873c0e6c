using System.Net;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Api;

/// <summary>The OpenAPI document describes the endpoints as they really are.</summary>
public sealed class OpenApiTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Theory]
    [InlineData("/api/generator", "get", "200")]
    [InlineData("/api/generator/start", "post", "200")]
    [InlineData("/api/generator/stop", "post", "200")]
    [InlineData("/api/generator/rate", "put", "200,400,415")]
    [InlineData("/api/events/recent", "get", "200,400")]
    [InlineData("/api/events/rejected", "get", "200")]
    [InlineData("/api/kafka", "get", "200")]
    [InlineData("/health/live", "get", "200")]
    [InlineData("/health/ready", "get", "200,503")]
    public async Task Every_endpoint_is_described_with_its_responses(string path, string method, string statuses)
    {
        using var document = await GetDocument();

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses");
        foreach (var status in statuses.Split(','))
        {
            Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} does not document {status}");
            Assert.True(response.TryGetProperty("content", out _), $"{method} {path} {status} has no body schema");
        }
    }

    [Fact]
    public async Task The_rate_request_body_is_required_json_with_events_per_second()
    {
        using var document = await GetDocument();

        var body = document.RootElement.GetProperty("paths").GetProperty("/api/generator/rate").GetProperty("put").GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        var schemaRef = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schemaRef.Split('/')[^1]);
        Assert.True(schema.GetProperty("properties").TryGetProperty("eventsPerSecond", out _));
    }

    [Fact]
    public async Task Problem_responses_are_problem_json()
    {
        using var document = await GetDocument();

        var badRequest = document.RootElement.GetProperty("paths").GetProperty("/api/events/recent").GetProperty("get")
            .GetProperty("responses").GetProperty("400").GetProperty("content");
        Assert.True(badRequest.TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task Recent_events_are_described_with_event_and_kafka_fields()
    {
        using var document = await GetDocument();

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var consumed = schemas.EnumerateObject().Single(s => s.Name.Contains("ConsumedEvent", StringComparison.Ordinal)).Value;
        var properties = consumed.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "eventId", "schemaVersion", "seq", "runId", "userId", "sessionId", "eventType", "page", "referrer", "device", "occurredAt", "partition", "offset", "timestamp" },
            properties);
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        using var response = await _http.GetAsync("/swagger/index.html", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> GetDocument()
    {
        var json = await _http.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);
        return JsonDocument.Parse(json);
    }
}
