using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>
/// The embedded broker writes a produce request twice when the connection drops after it appended
/// the batch and before the producer got the answer (it deduplicates idempotent producers only when
/// they are transactional). Forced here: responses delayed, then the broker taken down with requests
/// in flight. What the service must do: report every copy on the topic, invent none, lose nothing.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class EmbeddedBrokerDuplicateTests(ChaosAppFactory factory) : IClassFixture<ChaosAppFactory>
{
    private const long RunEvents = 3_000;

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_retried_produce_written_twice_by_the_embedded_broker_is_reported_copy_for_copy()
    {
        var kcat = ExternalTool.Require("kcat", "apt-get install kcat");
        var ct = TestContext.Current.CancellationToken;
        await Eventually.Until(async () => (await _api.Http.GetAsync("/health/ready", ct)).IsSuccessStatusCode, ready => ready, "readiness");
        await _api.SetRateAsync(500);
        var run = await _api.StartAsync(new { maxEvents = RunEvents });
        await Eventually.Until(_api.GetGeneratorAsync, s => s.Delivered - run.Delivered >= 200, "the run to be under way");

        // Requests keep arriving and being appended, but their answers wait 3 s ...
        (await _api.PutAsync("/api/embedded-kafka/rtt", new { milliseconds = 3_000 })).EnsureSuccessStatusCode();
        await Task.Delay(1_000, ct);
        // ... when the connection drops: the producer retries batches the broker already holds.
        (await _api.Http.PostAsync("/api/embedded-kafka/brokers/1/down", null, ct)).EnsureSuccessStatusCode();
        await Task.Delay(1_000, ct);
        (await _api.PutAsync("/api/embedded-kafka/rtt", new { milliseconds = 0 })).EnsureSuccessStatusCode();
        (await _api.Http.PostAsync("/api/embedded-kafka/brokers/1/up", null, ct)).EnsureSuccessStatusCode();

        var done = await Eventually.Until(_api.GetGeneratorAsync, s => s.RunId == run.RunId && !s.Running, "the run to complete", TimeSpan.FromSeconds(120));
        var kafka = await _api.GetKafkaAsync();
        var topic = await TopicContents.ReadRunAsync(kcat, kafka.BootstrapServers, kafka.Topic, run.RunId!);
        var onTopic = topic.Values.Sum(c => c.Copies.Count - 1);
        var seen = await Eventually.Until(
            () => RunReconciliation.CurrentAsync(_api, run.RunId!),
            r => r is not null && r.Received == RunEvents && r.Duplicates >= onTopic,
            "the consumer to read every copy");
        var stats = await _api.Http.GetFromJsonAsync<JsonElement>("/api/stats", ct);

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"embedded-broker duplicates: run of {done.RunEvents}, delivered {done.Delivered - run.Delivered}, failed {done.Failed - run.Failed}; "
            + $"on the topic {topic.Count} distinct seqs and {onTopic} extra copies; the service: received {seen!.Received}, duplicates {seen.Duplicates}, missing {seen.Missing}");
        Assert.True(onTopic > 0, "the broker should have written some retried batch twice");
        Assert.Equal(RunEvents, topic.Count);
        Assert.Equal(onTopic, seen.Duplicates);
        Assert.Equal(0, seen.Missing);
        Assert.Equal(0, done.Failed - run.Failed);
        Assert.Contains("does not deduplicate", stats.GetProperty("integrity").GetProperty("duplicatesNote").GetString(), StringComparison.Ordinal);
    }
}
