using System.Net;
using System.Net.Http.Json;
using ClickstreamApi.Api;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Api;

public sealed class HealthTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task Liveness_answers_at_once()
    {
        using var response = await _http.GetAsync("/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Liveness_answers_get_with_the_health_shape_and_refuses_other_methods()
    {
        using var response = await _http.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<HealthResponse>(ApiClient.Json, TestContext.Current.CancellationToken);
        using var post = await _http.PostAsync("/health/live", null, TestContext.Current.CancellationToken);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", body!.Status);
        Assert.Empty(body.Checks);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Readiness_turns_healthy_once_producer_and_consumer_are_connected()
    {
        var (status, body) = await Eventually.Until(
            async () =>
            {
                using var response = await _http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                return (response.StatusCode, await response.Content.ReadFromJsonAsync<HealthResponse>(ApiClient.Json, TestContext.Current.CancellationToken));
            },
            r => r.StatusCode == HttpStatusCode.OK,
            "a ready service");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body!.Status);
        var kafka = body.Checks["kafka"];
        Assert.Equal("embedded", kafka.Data["mode"]);
        Assert.NotEqual("0", kafka.Data["assignedPartitions"]);
    }
}
