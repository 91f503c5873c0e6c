using System.Net;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>GET /api/stats: every figure, and integrity counts that reconcile exactly.</summary>
/// <remarks>Each test gets an app of its own (xunit makes a new instance per test): no state is left for the next one to undo.</remarks>
public sealed class StatsTests : IAsyncDisposable
{
    private readonly ClickstreamAppFactory _factory = new();
    private readonly ApiClient _api;

    public StatsTests() => _api = new ApiClient(_factory.CreateClient());

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Stats_describe_a_run_that_went_through()
    {
        await _api.SetRateAsync(1000);
        var run = await _api.CompleteRunAsync(new { maxEvents = 800, seed = 5 });

        var stats = await StatsWhen(s => RunOf(s, run.RunId!) is { } r && r.GetProperty("received").GetInt64() == 800);

        var integrity = RunOf(stats, run.RunId!)!.Value;
        Assert.Equal(800, integrity.GetProperty("maxSeq").GetInt64());
        Assert.Equal(0, integrity.GetProperty("missing").GetInt64());
        Assert.Equal(0, integrity.GetProperty("duplicates").GetInt64());

        Assert.True(stats.GetProperty("rates").GetProperty("overall").GetProperty("last60s").GetDouble() > 0);
        Assert.Equal(7, stats.GetProperty("rates").GetProperty("byType").EnumerateObject().Count());
        var topPages = stats.GetProperty("topPages").GetProperty("last5m");
        Assert.True(topPages.GetProperty("total").GetInt64() >= 800);
        Assert.Equal(10, topPages.GetProperty("top").GetArrayLength());
        var counts = topPages.GetProperty("top").EnumerateArray().Select(p => p.GetProperty("count").GetInt64()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        // Every event has one user, so distinct users cannot exceed events (allowing the estimate's error).
        Assert.InRange(stats.GetProperty("activeUsers").GetProperty("last5m").GetInt64(), 1, topPages.GetProperty("total").GetInt64() * 1.05);
        var windows = stats.GetProperty("windows").GetProperty("windows");
        Assert.InRange(windows.GetArrayLength(), 1, 4);
        Assert.Equal(15, (windows[0].GetProperty("end").GetDateTimeOffset() - windows[0].GetProperty("start").GetDateTimeOffset()).TotalSeconds);
        var latency = stats.GetProperty("latency").GetProperty("sinceStart");
        Assert.True(latency.GetProperty("count").GetInt64() >= 800);
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
        var partitions = stats.GetProperty("partitions");
        Assert.Equal(6, partitions.GetProperty("partitions").GetArrayLength());
        Assert.Equal(6, partitions.GetProperty("assigned").GetInt32());
        Assert.All(partitions.GetProperty("partitions").EnumerateArray(), p => Assert.True(p.GetProperty("assigned").GetBoolean()));
        var consumer = stats.GetProperty("consumer");
        Assert.True(consumer.GetProperty("assignments").GetInt64() >= 1);
        Assert.NotEqual(JsonValueKind.Null, consumer.GetProperty("lastRebalanceAt").ValueKind);
        Assert.True(stats.GetProperty("buffer").GetProperty("lastSequence").GetInt64() >= 800);
    }

    [Fact]
    public async Task Injected_duplicates_and_malformed_messages_are_counted_exactly()
    {
        var before = await _api.GetGeneratorAsync();
        var statsBefore = await StatsWhen(_ => true);
        var notJsonBefore = RejectedByReason(statsBefore, "not_json");
        await _api.SetRateAsync(1000);
        await _api.SetFaultsAsync(new { malformed = 0.1, duplicate = 0.1 });
        var run = await _api.CompleteRunAsync(new { maxEvents = 500, seed = 9 });
        var duplicates = run.Injected.Duplicate - before.Injected.Duplicate;
        var malformed = run.Injected.Malformed - before.Injected.Malformed;

        var stats = await StatsWhen(s => RunOf(s, run.RunId!) is { } r && r.GetProperty("received").GetInt64() == 500
            && r.GetProperty("duplicates").GetInt64() == duplicates && RejectedByReason(s, "not_json") - notJsonBefore == malformed);

        var integrity = RunOf(stats, run.RunId!)!.Value;
        Assert.True(duplicates > 0 && malformed > 0);
        Assert.Equal(0, integrity.GetProperty("missing").GetInt64());
    }

    [Fact]
    public async Task Gaps_in_a_run_are_counted_exactly()
    {
        var kafka = await _api.GetKafkaAsync();
        var skippedSeqs = new HashSet<long> { 7, 8, 50, 99 };
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var seq in Enumerable.Range(1, 120).Where(s => !skippedSeqs.Contains(s)))
            {
                var json = $$"""{"eventId":"{{Guid.NewGuid()}}","seq":{{seq}},"runId":"gappy-run","userId":"u{{seq % 7}}","eventType":"page_view","page":"/gaps","occurredAt":"{{DateTime.UtcNow:O}}"}""";
                producer.Produce(kafka.Topic, new Message<string, string> { Key = $"u{seq % 7}", Value = json });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var stats = await StatsWhen(s => RunOf(s, "gappy-run") is { } r && r.GetProperty("received").GetInt64() == 116);

        var gappy = RunOf(stats, "gappy-run")!.Value;
        Assert.Equal(120, gappy.GetProperty("maxSeq").GetInt64());
        Assert.Equal(4, gappy.GetProperty("missing").GetInt64());
        Assert.Equal(0, gappy.GetProperty("duplicates").GetInt64());
    }

    [Theory]
    [InlineData("top=0", "top")]
    [InlineData("top=101", "top")]
    [InlineData("windows=0", "windows")]
    [InlineData("windows=21", "windows")]
    [InlineData("top=many", "top")]
    public async Task Bad_stats_queries_get_a_problem_naming_the_parameter(string query, string field)
    {
        var (response, body) = await _api.GetJsonAsync($"/api/stats?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    private async Task<JsonElement> StatsWhen(Func<JsonElement, bool> condition) =>
        await Eventually.Until(async () => (await _api.GetJsonAsync("/api/stats")).Body, condition, "the stats to show it");

    private static JsonElement? RunOf(JsonElement stats, string runId)
    {
        foreach (var run in stats.GetProperty("integrity").GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("runId").GetString() == runId)
            {
                return run;
            }
        }

        return null;
    }

    private static long RejectedByReason(JsonElement stats, string reason) =>
        stats.GetProperty("integrity").GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;
}
