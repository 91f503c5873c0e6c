using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>The broker answers Produce and Fetch requests with retriable errors; the clients retry.</summary>
public sealed class InjectedErrorTests(ChaosAppFactory factory) : IClassFixture<ChaosAppFactory>
{
    private const long RunEvents = 20_000;

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Retriable_produce_and_fetch_errors_are_retried_counted_and_lose_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await Eventually.Until(() => _api.Http.GetAsync("/health/ready", ct), r => r.IsSuccessStatusCode, "the service to be ready");
        await _api.SetRateAsync(5_000);
        var run = await _api.StartAsync(new { maxEvents = RunEvents });
        await Eventually.Until(_api.GetGeneratorAsync, s => s.Delivered - run.Delivered >= 1_000, "the run to be under way");

        // Each fails one request. Produce: NOT_LEADER_OR_FOLLOWER and NOT_ENOUGH_REPLICAS, which tell the
        // producer the batch was not written. (REQUEST_TIMED_OUT means "perhaps written": the idempotent
        // producer may then count a batch as delivered once a later one is acknowledged, which the
        // embedded broker, not checking sequence gaps as Kafka does, allows; see docs/reliability.md.)
        // Fetch: NOT_LEADER_OR_FOLLOWER and REQUEST_TIMED_OUT.
        var produce = await Inject("produce", [6, 19], repeat: 15);
        var fetch = await Inject("fetch", [6, 7], repeat: 15);

        var done = await Eventually.Until(_api.GetGeneratorAsync, s => s.RunId == run.RunId && !s.Running, "the run to complete", TimeSpan.FromSeconds(90));
        var seen = await RunReconciliation.AwaitAsync(_api, run.RunId!, RunEvents, quietFor: TimeSpan.FromSeconds(20));
        var chaos = await _api.Http.GetFromJsonAsync<JsonElement>("/api/embedded-kafka", ct);
        var onTopic = await RunReconciliation.MessagesOnTopicAsync(_api);

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"injected-error figures: produce errors {chaos.GetProperty("injectedErrors").GetProperty("produce").GetInt64()}, "
            + $"fetch errors {chaos.GetProperty("injectedErrors").GetProperty("fetch").GetInt64()}; events in {done.RunEvents}, "
            + $"delivered {done.Delivered - run.Delivered}, failed {done.Failed - run.Failed}, on the topic {onTopic}, consumed {seen.Received} "
            + $"(missing {seen.Missing}, duplicates {seen.Duplicates})");
        Assert.Equal(30, produce.GetProperty("injectedErrors").GetProperty("produce").GetInt64());
        Assert.Equal(30, fetch.GetProperty("injectedErrors").GetProperty("fetch").GetInt64());
        Assert.Equal(60, chaos.GetProperty("injectedErrorsTotal").GetInt64());
        Assert.Equal(RunEvents, done.RunEvents);
        Assert.Equal(0, done.Failed - run.Failed);
        Assert.Equal(RunEvents, seen.Received);
        Assert.Equal(0, seen.Missing);
        Assert.Equal(0, seen.Duplicates);
    }

    private async Task<JsonElement> Inject(string request, int[] errorCodes, int repeat)
    {
        using var response = await _api.Http.PostAsJsonAsync("/api/embedded-kafka/errors", new { request, errorCodes, repeat }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}
