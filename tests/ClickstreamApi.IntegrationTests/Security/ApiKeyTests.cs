using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClickstreamApi.IntegrationTests.Security;

/// <summary>An app with an API key and the chaos endpoints: state changes need the key, reads do not.</summary>
public sealed class ApiKeyAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Security:ApiKey"] = ApiKeyTests.Key,
    ["Chaos:Enabled"] = "true",
});

/// <summary>An app with an API key that protects reads too.</summary>
public sealed class ProtectedReadsAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Security:ApiKey"] = ApiKeyTests.Key,
    ["Security:ProtectReads"] = "true",
});

public sealed class ApiKeyTests(ApiKeyAppFactory factory) : IClassFixture<ApiKeyAppFactory>
{
    public const string Key = "test-key-0123456789abcdef";

    private readonly HttpClient _http = factory.CreateClient();

    public static TheoryData<string, string, string?> StateChanging => new()
    {
        { "POST", "/api/generator/start", null },
        { "POST", "/api/generator/stop", null },
        { "PUT", "/api/generator/rate", """{"eventsPerSecond": 5}""" },
        { "PUT", "/api/generator/faults", """{"malformed": 0}""" },
        { "POST", "/api/embedded-kafka/brokers/1/up", null },
        { "PUT", "/api/embedded-kafka/rtt", """{"milliseconds": 0}""" },
        { "POST", "/api/embedded-kafka/errors", """{"request": "initProducerId", "errorCodes": [7]}""" },
    };

    [Theory]
    [MemberData(nameof(StateChanging))]
    public async Task State_changing_requests_without_the_right_key_get_a_401_problem(string method, string path, string? body)
    {
        foreach (var key in new string?[] { null, "wrong", Key[..^1], Key + "x", Key.ToUpperInvariant() })
        {
            using var response = await _http.SendAsync(Request(method, path, body, key), TestContext.Current.CancellationToken);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(problem.GetProperty("errors").TryGetProperty("X-Api-Key", out _));
            Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(StateChanging))]
    public async Task State_changing_requests_with_the_key_go_through(string method, string path, string? body)
    {
        using var response = await _http.SendAsync(Request(method, path, body, Key), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stop = await _http.SendAsync(Request("POST", "/api/generator/stop", null, Key), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("/api/generator")]
    [InlineData("/api/events/recent")]
    [InlineData("/api/stats")]
    [InlineData("/api/kafka")]
    [InlineData("/api/embedded-kafka")]
    [InlineData("/health/live")]
    public async Task Reads_stay_open_unless_protect_reads_is_set(string path)
    {
        using var response = await _http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_keep_their_404_and_405()
    {
        using var unknown = await _http.PostAsync("/api/nothing-here", null, TestContext.Current.CancellationToken);
        using var wrongMethod = await _http.DeleteAsync("/api/generator", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    /// <summary>
    /// The key is asked for by policies the endpoints name, so an endpoint under /api that names none
    /// would be open whatever Security:ProtectReads says: every one names a policy, and the
    /// state-changing ones the policy for state changes.
    /// </summary>
    [Fact]
    public void Every_api_endpoint_names_a_key_policy()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, endpoint =>
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var expected = methods.All(HttpMethods.IsGet) ? ApiKeyPolicies.Reads : ApiKeyPolicies.StateChanges;
            Assert.True(policies.Contains(expected), $"{string.Join(",", methods)} {endpoint.RoutePattern.RawText} names [{string.Join(", ", policies)}], not {expected}");
        });
    }

    [Fact]
    public async Task Swagger_lets_a_user_enter_the_key_and_marks_the_operations_that_need_it()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var start = root.GetProperty("paths").GetProperty("/api/generator/start").GetProperty("post");
        Assert.True(start.TryGetProperty("security", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("401", out _));
        var read = root.GetProperty("paths").GetProperty("/api/generator").GetProperty("get");
        Assert.False(read.TryGetProperty("security", out _));
    }

    internal static HttpRequestMessage Request(string method, string path, string? body, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }
}

public sealed class ProtectedReadsTests(ProtectedReadsAppFactory factory) : IClassFixture<ProtectedReadsAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Theory]
    [InlineData("/api/generator")]
    [InlineData("/api/events/recent?limit=1")]
    [InlineData("/api/events/rejected")]
    [InlineData("/api/stats")]
    [InlineData("/api/kafka")]
    public async Task Reads_need_the_key_when_protect_reads_is_set(string path)
    {
        using var without = await _http.GetAsync(path, TestContext.Current.CancellationToken);
        using var with = await _http.SendAsync(ApiKeyTests.Request("GET", path, null, ApiKeyTests.Key), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Health_and_the_api_description_stay_open(string path)
    {
        using var response = await _http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
