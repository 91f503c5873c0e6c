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

    public Task<GeneratorStatus> StopAsync() => PostStatusAsync("/api/generator/stop");

    public async Task<GeneratorStatus> SetRateAsync(double eventsPerSecond)
    {
        using var response = await http.PutAsJsonAsync("/api/generator/rate", new { eventsPerSecond }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, TestContext.Current.CancellationToken))!;
    }

    public async Task<List<JsonElement>> GetRecentAsync(int limit = 50) =>
        (await http.GetFromJsonAsync<List<JsonElement>>($"/api/events/recent?limit={limit}", Json, TestContext.Current.CancellationToken))!;

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
