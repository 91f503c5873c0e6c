using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ClickstreamApi.Api;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>What the fleet tests with real processes share: a member's settings, its view of the fleet, and a fleet command sent to it.</summary>
internal static class FleetMembers
{
    /// <summary>A member of fleet <paramref name="fleet"/>; without <paramref name="bootstrapServers"/> it hosts the embedded cluster.</summary>
    public static Dictionary<string, string> Settings(string fleet, string member, string? bootstrapServers, int sessionTimeoutMs = 6_000) => new()
    {
        ["Fleet__Enabled"] = "true",
        ["Fleet__Name"] = fleet,
        ["Fleet__MemberName"] = member,
        ["Fleet__SessionTimeoutMilliseconds"] = sessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
        ["Kafka__BootstrapServers"] = bootstrapServers ?? "",
        ["Observability__EventLogLinesPerSecond"] = "0",
        ["Observability__SummaryIntervalSeconds"] = "0",
    };

    public static async Task<FleetStatus> FleetAsync(AppProcess member) =>
        (await member.Http.GetFromJsonAsync<FleetStatus>("/api/fleet", ApiClient.Json, TestContext.Current.CancellationToken))!;

    /// <summary>Sends a fleet command; it must be accepted (202, with the command's location).</summary>
    public static async Task<FleetCommandStatus> SendAsync(HttpClient http, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: ApiClient.Json) };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("/api/fleet/commands/", response.Headers.Location!.OriginalString[..^36]);
        return System.Text.Json.JsonSerializer.Deserialize<FleetCommandStatus>(text, ApiClient.Json)!;
    }
}
