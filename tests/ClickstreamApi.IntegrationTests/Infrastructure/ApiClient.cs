using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClickstreamApi.Api;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>Typed calls to the public HTTP contract, read with the same JSON rules a client would use.</summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public HttpClient Http => http;

    public async Task<GeneratorStatus> GetGeneratorAsync() =>
        (await http.GetFromJsonAsync<GeneratorStatus>("/api/generator", Json, TestContext.Current.CancellationToken))!;

    public Task<GeneratorStatus> StartAsync() => PostStatusAsync("/api/generator/start");

    public async Task<GeneratorStatus> StartAsync(object options)
    {
        using var response = await http.PostAsJsonAsync("/api/generator/start", options, Json, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, TestContext.Current.CancellationToken))!;
    }

    public async Task<HttpResponseMessage> PutAsync(string path, object body) =>
        await http.PutAsJsonAsync(path, body, Json, TestContext.Current.CancellationToken);

    public async Task<GeneratorStatus> SetFaultsAsync(object faults)
    {
        using var response = await PutAsync("/api/generator/faults", faults);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, TestContext.Current.CancellationToken))!;
    }

    /// <summary>Runs a bounded run to its end and returns the final status.</summary>
    public async Task<GeneratorStatus> CompleteRunAsync(object options)
    {
        await StopAsync();
        var run = await StartAsync(options);
        return await Eventually.Until(
            GetGeneratorAsync,
            s => s.RunId == run.RunId && !s.Running,
            $"run {run.RunId} to complete by itself");
    }

    /// <summary>The events of one run in the ring buffer, in seq order.</summary>
    public async Task<List<JsonElement>> RunEventsAsync(string runId, int expected)
    {
        var events = await Eventually.Until(
            async () => (await GetRecentAsync(1000)).Where(e => e.GetProperty("runId").GetString() == runId).ToList(),
            list => list.Count >= expected,
            $"{expected} events of run {runId} in recent");
        return [.. events.OrderBy(e => e.GetProperty("seq").GetInt64())];
    }

    public Task<GeneratorStatus> StopAsync() => PostStatusAsync("/api/generator/stop");

    public async Task<GeneratorStatus> SetRateAsync(double eventsPerSecond)
    {
        using var response = await http.PutAsJsonAsync("/api/generator/rate", new { eventsPerSecond }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, TestContext.Current.CancellationToken))!;
    }

    public async Task<List<JsonElement>> GetRecentAsync(int limit = 50) =>
        (await http.GetFromJsonAsync<List<JsonElement>>($"/api/events/recent?limit={limit}", Json, TestContext.Current.CancellationToken))!;

    /// <summary>GET a path and return the status, headers and JSON body.</summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetJsonAsync(string path)
    {
        var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, TestContext.Current.CancellationToken);
        return (response, body);
    }

    public async Task<JsonElement> GetRejectedAsync() =>
        await http.GetFromJsonAsync<JsonElement>("/api/events/rejected", Json, TestContext.Current.CancellationToken);

    public async Task<KafkaInfo> GetKafkaAsync() =>
        (await http.GetFromJsonAsync<KafkaInfo>("/api/kafka", Json, TestContext.Current.CancellationToken))!;

    private async Task<GeneratorStatus> PostStatusAsync(string path)
    {
        using var response = await http.PostAsync(path, null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, TestContext.Current.CancellationToken))!;
    }
}
