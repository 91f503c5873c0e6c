using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Datasets;

/// <summary>
/// A backfill on the embedded cluster waits for the service's consumer instead of running so far
/// ahead that the broker (about 5 MiB per partition) evicts events before they are read; with no
/// consumer to wait for, it does not wait.
/// </summary>
public sealed class BackfillPacingTests
{
    private static readonly object Backfill = new { seed = 21, startAt = "2026-11-03T00:00:00Z", asFastAsPossible = true, maxEvents = 30_000 };

    [Fact]
    public async Task A_backfill_waits_for_the_consumer_and_nothing_is_evicted_unread()
    {
        // One partition and a lead of 200 messages: the generator's first batch is already further ahead.
        await using var app = new ConfiguredAppFactory(new() { ["Kafka:Partitions"] = "1", ["Generator:MaxConsumerLeadPerPartition"] = "200" });
        var api = new ApiClient(app.CreateClient());
        await Eventually.Until(async () => (await api.GetJsonAsync("/health/ready")).Response.IsSuccessStatusCode, ready => ready, "the consumer to hold its partition");
        await api.SetRateAsync(100);

        var final = await api.CompleteRunAsync(Backfill);
        var kafka = await api.GetKafkaAsync();
        await TopicEnds.AwaitConsumedAsync(api, TopicEnds.Query(kafka.BootstrapServers, kafka.Topic));

        Assert.Equal(30_000, final.RunEvents);
        Assert.True(final.ConsumerWaits > 0, "the run waited for the consumer");
        var (response, stats) = await api.GetJsonAsync("/api/stats");
        response.Dispose();
        var integrity = stats.GetProperty("integrity");
        Assert.Equal(0, integrity.GetProperty("skippedMessages").GetInt64());
        var run = integrity.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("runId").GetString() == final.RunId);
        Assert.Equal(0, run.GetProperty("missing").GetInt64());
        Assert.Equal(30_000, run.GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task Without_a_consumer_a_backfill_does_not_wait()
    {
        await using var app = new ConfiguredAppFactory(new() { ["Consumer:Enabled"] = "false", ["Generator:MaxConsumerLeadPerPartition"] = "200" });
        var api = new ApiClient(app.CreateClient());
        await api.SetRateAsync(100);

        var final = await api.CompleteRunAsync(Backfill);

        Assert.Equal(30_000, final.RunEvents);
        Assert.Equal(0, final.ConsumerWaits);
    }
}
