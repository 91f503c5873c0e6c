using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Api;

/// <summary>Start, stop and rate through HTTP, with events going through the embedded cluster and back.</summary>
/// <remarks>Each test gets an app of its own (xunit makes a new instance per test): no state is left for the next one to undo.</remarks>
public sealed class GeneratorLifecycleTests : IAsyncDisposable
{
    private readonly ClickstreamAppFactory _factory = new();
    private readonly ApiClient _api;

    public GeneratorLifecycleTests() => _api = new ApiClient(_factory.CreateClient());

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Events_appear_in_recent_after_start()
    {
        var kafka = await _api.GetKafkaAsync();
        var status = await _api.StartAsync();
        Assert.True(status.Running);

        var recent = await Eventually.Until(
            () => _api.GetRecentAsync(),
            events => events.Any(e => e.GetProperty("runId").GetString() == status.RunId),
            "an event of this run in /api/events/recent");

        var newest = recent.First(e => e.GetProperty("runId").GetString() == status.RunId);
        Assert.InRange(newest.GetProperty("partition").GetInt32(), 0, kafka.Partitions - 1);
        Assert.True(newest.GetProperty("offset").GetInt64() >= 0);
        Assert.True(newest.GetProperty("seq").GetInt64() >= 1);
        Assert.Equal(ClickstreamApi.Events.ClickEvent.CurrentSchemaVersion, newest.GetProperty("schemaVersion").GetInt32());
        Assert.True(Guid.TryParse(newest.GetProperty("eventId").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(newest.GetProperty("userId").GetString()));
        Assert.StartsWith("/", newest.GetProperty("page").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", newest.GetProperty("occurredAt").GetString(), StringComparison.Ordinal);
        // The Kafka timestamp is the event's occurredAt (to the millisecond Kafka keeps).
        var occurredAt = newest.GetProperty("occurredAt").GetDateTimeOffset();
        var timestamp = newest.GetProperty("timestamp").GetDateTimeOffset();
        Assert.InRange((occurredAt - timestamp).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_rate_change_is_honoured()
    {
        await _api.StartAsync();

        var status = await _api.SetRateAsync(200);
        Assert.Equal(200, status.EventsPerSecond);
        Assert.Equal(200, (await _api.GetGeneratorAsync()).EventsPerSecond);

        // At the old rate of 1 event/s this would take minutes; at 200/s about a second.
        await Eventually.Until(
            () => _api.GetGeneratorAsync(),
            s => s.Delivered >= status.Produced + 400,
            "400 more delivered events at 200 events/s");
    }

    [Fact]
    public async Task Stopping_the_generator_halts_production()
    {
        await _api.SetRateAsync(100);
        var started = await _api.StartAsync();
        await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Delivered >= started.Produced + 20, "20 delivered events");

        var stopped = await _api.StopAsync();
        Assert.False(stopped.Running);
        var settled = await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Queued == 0, "the producer queue to drain");

        // The generator is one loop: once a new run has produced, the stopped one cannot produce any
        // more. Everything produced since the stop must then be the new run's.
        var next = await _api.StartAsync();
        var nextStopped = await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.RunId == next.RunId && s.RunEvents >= 5, "the next run to produce");
        await _api.StopAsync();
        var later = await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Queued == 0, "the producer queue to drain again");

        Assert.NotEqual(started.RunId, next.RunId);
        Assert.True(nextStopped.RunEvents >= 5);
        Assert.Equal(later.RunEvents, later.Produced - settled.Produced);
        Assert.Equal(later.Produced, later.Delivered + later.Failed);
    }

    [Fact]
    public async Task The_answer_to_stop_carries_the_runs_final_count_even_at_a_high_rate()
    {
        await _api.SetRateAsync(50_000);
        var started = await _api.StartAsync();
        await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Delivered >= started.Produced + 20_000, "20,000 delivered events at 50,000 events/s");

        // The generating loop takes the stop in between two events; the answer waits for that.
        var stopped = await _api.StopAsync();
        var later = await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Queued == 0, "the producer queue to drain");

        Assert.False(stopped.Running);
        Assert.Equal(stopped.RunEvents, later.RunEvents);
        Assert.Equal(stopped.Produced, later.Produced);
    }

    [Fact]
    public async Task Start_and_stop_are_idempotent()
    {
        await _api.StopAsync();
        var stoppedAgain = await _api.StopAsync();
        Assert.False(stoppedAgain.Running);

        var first = await _api.StartAsync();
        var second = await _api.StartAsync();

        Assert.True(second.Running);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.RunStartedAt, second.RunStartedAt);
    }

    [Fact]
    public async Task Every_delivered_event_of_a_run_is_consumed_once_with_no_gaps()
    {
        await _api.StopAsync();
        await _api.SetRateAsync(200);
        var run = await _api.StartAsync();
        await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Delivered >= run.Produced + 300, "300 delivered events");
        await _api.StopAsync();
        var final = await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Queued == 0, "the producer queue to drain");
        var runEvents = final.Produced - run.Produced;
        Assert.Equal(0, final.Failed);

        var seqs = await Eventually.Until(
            async () => (await _api.GetRecentAsync(1000))
                .Where(e => e.GetProperty("runId").GetString() == run.RunId)
                .Select(e => e.GetProperty("seq").GetInt64())
                .ToList(),
            s => s.Count >= runEvents,
            $"all {runEvents} events of the run in the ring buffer");

        Assert.Equal(Enumerable.Range(1, (int)runEvents).Select(i => (long)i), seqs.Order());
    }
}
