using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Kafka;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>The chaos endpoints exist only when asked for, in embedded mode, and check their input.</summary>
public sealed class ChaosEndpointTests(ChaosAppFactory factory) : IClassFixture<ChaosAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task Chaos_endpoints_are_not_found_unless_switched_on()
    {
        using var app = new ClickstreamAppFactory();
        var http = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var down = await http.PostAsync("/api/embedded-kafka/brokers/1/down", null, ct);
        using var status = await http.GetAsync("/api/embedded-kafka", ct);

        Assert.Equal(HttpStatusCode.NotFound, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        // The cluster is untouched: still ready.
        await Eventually.Until(() => http.GetAsync("/health/ready", ct), r => r.IsSuccessStatusCode, "the service to be ready");
    }

    [Fact]
    public async Task Chaos_endpoints_are_not_found_against_an_external_cluster_even_when_switched_on()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 1);
        using var app = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["Chaos:Enabled"] = "true",
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:AdminTimeoutSeconds"] = "2",
        });

        using var down = await app.CreateClient().PostAsync("/api/embedded-kafka/brokers/1/down", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, down.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/embedded-kafka/brokers/0/down", null, "id", "from 1 to 1")]
    [InlineData("POST", "/api/embedded-kafka/brokers/2/up", null, "id", "from 1 to 1")]
    [InlineData("POST", "/api/embedded-kafka/brokers/one/down", null, "id", "whole number")]
    [InlineData("PUT", "/api/embedded-kafka/rtt", """{}""", "milliseconds", "required")]
    [InlineData("PUT", "/api/embedded-kafka/rtt", """{"milliseconds": -1}""", "milliseconds", "between 0 and 60000")]
    [InlineData("PUT", "/api/embedded-kafka/rtt", """{"milliseconds": 60001}""", "milliseconds", "between 0 and 60000")]
    [InlineData("PUT", "/api/embedded-kafka/rtt", """{"milliseconds": 5, "brokerId": 7}""", "brokerId", "from 1 to 1")]
    [InlineData("PUT", "/api/embedded-kafka/rtt", """{"milliseconds": "5"}""", "milliseconds", "whole number")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"errorCodes": [6]}""", "request", "required")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "teleport", "errorCodes": [6]}""", "request", "one of")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce"}""", "errorCodes", "required")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce", "errorCodes": []}""", "errorCodes", "required")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce", "errorCodes": [0]}""", "errorCodes", "not a Kafka protocol error code")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce", "errorCodes": [-185]}""", "errorCodes", "not a Kafka protocol error code")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce", "errorCodes": [6], "repeat": 10001}""", "repeat", "between 1 and 10000")]
    [InlineData("POST", "/api/embedded-kafka/errors", """{"request": "produce", "errorCodes": [6, 7], "repeat": 5001}""", "errorCodes", "At most 10000")]
    public async Task Invalid_chaos_requests_get_a_problem_naming_the_field(string method, string path, string? body, string field, string rule)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Round_trip_time_and_injected_errors_are_reported_in_the_chaos_status()
    {
        var ct = TestContext.Current.CancellationToken;
        using var rtt = await _http.PutAsJsonAsync("/api/embedded-kafka/rtt", new { milliseconds = 25 }, ct);
        rtt.EnsureSuccessStatusCode();
        var before = (await _http.GetFromJsonAsync<JsonElement>("/api/embedded-kafka", ct)).GetProperty("injectedErrorsTotal").GetInt64();
        // Errors for a request type the service does not send while idle, so they stay queued and harmless.
        using var errors = await _http.PostAsJsonAsync("/api/embedded-kafka/errors", new { request = "initProducerId", errorCodes = new[] { 7 }, repeat = 1 }, ct);
        errors.EnsureSuccessStatusCode();
        var status = await errors.Content.ReadFromJsonAsync<JsonElement>(ct);
        using var reset = await _http.PutAsJsonAsync("/api/embedded-kafka/rtt", new { milliseconds = 0, brokerId = 1 }, ct);
        reset.EnsureSuccessStatusCode();

        Assert.Equal(25, status.GetProperty("brokers")[0].GetProperty("roundTripMs").GetInt32());
        Assert.True(status.GetProperty("brokers")[0].GetProperty("up").GetBoolean());
        Assert.Equal(before + 1, status.GetProperty("injectedErrorsTotal").GetInt64());
        Assert.True(status.GetProperty("injectedErrors").GetProperty("initProducerId").GetInt64() >= 1);
        Assert.Equal(0, (await reset.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("brokers")[0].GetProperty("roundTripMs").GetInt32());
    }

    [Fact]
    public async Task The_chaos_endpoints_are_described_in_openapi()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var (path, method) in new[] { ("/api/embedded-kafka", "get"), ("/api/embedded-kafka/brokers/{id}/down", "post"), ("/api/embedded-kafka/brokers/{id}/up", "post"), ("/api/embedded-kafka/rtt", "put"), ("/api/embedded-kafka/errors", "post") })
        {
            var responses = paths.GetProperty(path).GetProperty(method).GetProperty("responses");
            Assert.True(responses.TryGetProperty("200", out _), $"{method} {path} has no 200");
            if (method != "get")
            {
                Assert.True(responses.TryGetProperty("400", out _), $"{method} {path} does not document 400");
            }
        }
    }
}
