using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Schemas;

/// <summary>
/// A Schema Registry that goes away while the consumer reads does not turn valid events into
/// rejections: a second instance, pointed at the first one's cluster and (through a proxy the test
/// switches off) at its registry, waits for the registry, counts its attempts, and reads everything
/// once the registry is back.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class RegistryOutageTests
{
    private const int Events = 300;

    [Fact]
    public async Task No_valid_event_is_rejected_while_the_registry_is_away_and_all_are_consumed_once_it_is_back()
    {
        using var first = new ConfiguredAppFactory([]);
        var firstApi = new ApiClient(first.CreateClient());
        var kafka = await firstApi.GetKafkaAsync();
        await using var proxy = await SwitchableProxy.StartAsync(kafka.SchemaRegistry.Url!);
        proxy.Down = true;
        await firstApi.SetRateAsync(1000);
        var run = await firstApi.CompleteRunAsync(new { maxEvents = Events, format = "avro" });

        using var second = new ConfiguredAppFactory(new()
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:Consumer:group.id"] = "registry-outage-reader",
            ["SchemaRegistry:Url"] = proxy.Url,
            ["SchemaRegistry:MaxRetryBackoffSeconds"] = "1",
        });
        var secondApi = new ApiClient(second.CreateClient());

        var waiting = await Eventually.Until(
            secondApi.GetKafkaAsync,
            k => k.SchemaRegistry.FailedAttempts >= 3 && k.SchemaRegistry.Waiting >= 1,
            "the second instance to wait for the registry",
            TimeSpan.FromSeconds(60));
        Assert.Equal("external", waiting.SchemaRegistry.Mode);
        Assert.NotNull(waiting.SchemaRegistry.Problem);
        var during = await StatsAsync(secondApi);
        Assert.Equal(0, (await secondApi.GetRejectedAsync()).GetProperty("total").GetInt64());
        Assert.Equal(0, during.GetProperty("consumer").GetProperty("consumed").GetInt64());
        var attemptsDuringOutage = waiting.SchemaRegistry.FailedAttempts;

        proxy.Down = false;
        var stats = await Eventually.Until(
            () => StatsAsync(secondApi),
            s => Run(s, run.RunId!) is { } r && r.GetProperty("received").GetInt64() == Events,
            $"the second instance to read all {Events} events once the registry is back",
            TimeSpan.FromSeconds(60));

        var integrity = Run(stats, run.RunId!)!.Value;
        Assert.Equal((0L, 0L), (integrity.GetProperty("missing").GetInt64(), integrity.GetProperty("duplicates").GetInt64()));
        Assert.Equal(0, (await secondApi.GetRejectedAsync()).GetProperty("total").GetInt64());
        var after = await secondApi.GetKafkaAsync();
        Assert.Null(after.SchemaRegistry.Problem);
        Assert.Equal(0, after.SchemaRegistry.Waiting);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Events} avro events; {proxy.Dropped} registry requests dropped, {attemptsDuringOutage} failed attempts counted while away; all {Events} read once back, 0 rejected");
    }

    private static async Task<JsonElement> StatsAsync(ApiClient api)
    {
        var (response, stats) = await api.GetJsonAsync("/api/stats");
        response.Dispose();
        return stats;
    }

    private static JsonElement? Run(JsonElement stats, string runId) =>
        stats.GetProperty("integrity").GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("runId").GetString() == runId).Cast<JsonElement?>().FirstOrDefault();
}
