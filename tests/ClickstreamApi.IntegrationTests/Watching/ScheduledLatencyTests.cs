using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>
/// GET /api/stats latency from the scheduled send time (issue 15): it covers what this instance's
/// generator sent on a schedule, is never below latency from occurredAt for the same events, and
/// counts what has no schedule instead of guessing. The figures are compared with each other, never
/// with a deadline.
/// </summary>
/// <remarks>Each test gets an app of its own (xunit makes a new instance per test), so the counts start from zero.</remarks>
public sealed class ScheduledLatencyTests : IAsyncDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly ClickstreamAppFactory _factory = new();
    private readonly ApiClient _api;

    public ScheduledLatencyTests() => _api = new ApiClient(_factory.CreateClient());

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("constant")]
    [InlineData("poisson")]
    public async Task Every_consumed_event_of_a_wall_clock_run_is_measured_from_its_schedule_and_never_below_occurredAt(string profile)
    {
        using (var rate = await _api.PutAsync("/api/generator/rate", new { eventsPerSecond = 2000, profile }))
        {
            rate.EnsureSuccessStatusCode();
        }

        var run = await _api.CompleteRunAsync(new { maxEvents = 3000, seed = 15 });

        var latency = Latency(await StatsWhen(s => Received(s, run.RunId!) == 3000));
        TestContext.Current.TestOutputHelper!.WriteLine($"{profile}, 2,000 events/s, since start: from occurredAt {latency.FromOccurredAt.SinceStart}; from the schedule {latency.FromScheduled.SinceStart}");

        // Every event consumed (duplicates the embedded broker writes included) is in both.
        Assert.True(latency.FromOccurredAt.SinceStart.Count >= 3000, $"{latency.FromOccurredAt.SinceStart.Count} events measured");
        Assert.Equal(latency.FromOccurredAt.SinceStart.Count, latency.FromScheduled.SinceStart.Count);
        Assert.Equal(latency.FromOccurredAt.Last60s.Count, latency.FromScheduled.Last60s.Count);
        Assert.Equal(0, latency.WithoutScheduledTime);

        // A scheduled time is never after the time the event was made, so no figure can be lower.
        AssertAtLeast(latency.FromOccurredAt.SinceStart, latency.FromScheduled.SinceStart, "since start");
        AssertAtLeast(latency.FromOccurredAt.Last60s, latency.FromScheduled.Last60s, "last 60 s");

        // The generator sleeps at least a millisecond, so at 2,000 events/s it makes most events a
        // little after they were due: the schedule's figures are not a copy of occurredAt's.
        Assert.True(latency.FromScheduled.SinceStart.Mean > latency.FromOccurredAt.SinceStart.Mean, $"mean {latency.FromScheduled.SinceStart.Mean} ms from the schedule, {latency.FromOccurredAt.SinceStart.Mean} ms from occurredAt");
    }

    [Fact]
    public async Task A_simulated_run_as_fast_as_possible_adds_only_to_the_events_without_a_scheduled_time()
    {
        await _api.SetRateAsync(1000);
        var wallClock = await _api.CompleteRunAsync(new { maxEvents = 500, seed = 16 });
        var before = Latency(await SettledStats(wallClock.RunId!, 500));
        Assert.True(before.FromScheduled.SinceStart.Count >= 500, $"{before.FromScheduled.SinceStart.Count} events measured from the schedule");
        Assert.Equal(before.FromOccurredAt.SinceStart.Count, before.FromScheduled.SinceStart.Count);

        var backfill = await _api.CompleteRunAsync(new { maxEvents = 2000, seed = 16, startAt = "2026-11-02T00:00:00Z", asFastAsPossible = true });
        var after = Latency(await SettledStats(backfill.RunId!, 2000));

        var backfilled = after.FromOccurredAt.SinceStart.Count - before.FromOccurredAt.SinceStart.Count;
        Assert.True(backfilled >= 2000, $"{backfilled} events consumed");
        Assert.Equal(before.WithoutScheduledTime + backfilled, after.WithoutScheduledTime);
        Assert.Equal(before.FromScheduled.SinceStart, after.FromScheduled.SinceStart);
        Assert.Equal(before.FromScheduled.ClampedBelowZero, after.FromScheduled.ClampedBelowZero);
        Assert.Equal(before.FromScheduled.ClampedAboveMax, after.FromScheduled.ClampedAboveMax);
    }

    [Fact]
    public async Task A_paced_simulated_run_is_measured_from_where_its_events_fall_on_the_wall_clock()
    {
        await _api.SetRateAsync(1);

        // 600 simulated seconds at 300 times real time: 2 s. Its occurredAt is years in the past.
        var run = await _api.CompleteRunAsync(new { maxEvents = 600, seed = 17, startAt = "2020-01-01T00:00:00Z", speed = 300 });
        var latency = Latency(await StatsWhen(s => Received(s, run.RunId!) == 600));

        Assert.True(latency.FromScheduled.SinceStart.Count >= 600, $"{latency.FromScheduled.SinceStart.Count} events measured from the schedule");
        Assert.Equal(latency.FromOccurredAt.SinceStart.Count, latency.FromScheduled.SinceStart.Count);
        Assert.Equal(0, latency.WithoutScheduledTime);

        // From occurredAt every event is over an hour old; from the schedule none is.
        Assert.Equal(latency.FromOccurredAt.SinceStart.Count, latency.FromOccurredAt.ClampedAboveMax);
        Assert.Equal(0, latency.FromScheduled.ClampedAboveMax);
        Assert.Equal(0, latency.FromScheduled.ClampedBelowZero);
        Assert.InRange(latency.FromScheduled.SinceStart.Max, 0, 3_600_000 - 1);
    }

    private static void AssertAtLeast(Figures fromOccurredAt, Figures fromScheduled, string view)
    {
        var pairs = new (string Name, double Occurred, double Scheduled)[]
        {
            ("p50", fromOccurredAt.P50, fromScheduled.P50),
            ("p90", fromOccurredAt.P90, fromScheduled.P90),
            ("p99", fromOccurredAt.P99, fromScheduled.P99),
            ("p99.9", fromOccurredAt.P999, fromScheduled.P999),
            ("max", fromOccurredAt.Max, fromScheduled.Max),
            ("mean", fromOccurredAt.Mean, fromScheduled.Mean),
        };
        Assert.All(pairs, p => Assert.True(p.Scheduled >= p.Occurred, $"{view} {p.Name}: {p.Scheduled} ms from the schedule < {p.Occurred} ms from occurredAt"));
    }

    private async Task<JsonElement> StatsWhen(Func<JsonElement, bool> condition) =>
        await Eventually.Until(async () => (await _api.GetJsonAsync("/api/stats")).Body, condition, "the stats to show the run", Generous);

    private static long Received(JsonElement stats, string runId) =>
        stats.GetProperty("integrity").GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("runId").GetString() == runId)
            .Select(r => r.GetProperty("received").GetInt64())
            .FirstOrDefault();

    /// <summary>
    /// Stats once the run's events are all in and the topic is read to its end, taken by the consumer
    /// after that (the analytics are a snapshot, the lag is read live): nothing of the run, not even a
    /// duplicate the embedded broker wrote, is still to come.
    /// </summary>
    private async Task<JsonElement> SettledStats(string runId, long events)
    {
        var caughtUp = await StatsWhen(s => Received(s, runId) == events && s.GetProperty("partitions").GetProperty("totalLag").GetInt64() == 0);
        var at = caughtUp.GetProperty("generatedAt").GetDateTimeOffset();
        return await StatsWhen(s => s.GetProperty("analyticsAt").GetDateTimeOffset() > at);
    }

    private static LatencyFigures Latency(JsonElement stats)
    {
        var latency = stats.GetProperty("latency");
        var fromScheduled = latency.GetProperty("fromScheduled");
        return new LatencyFigures(
            new Views(Read(latency.GetProperty("sinceStart")), Read(latency.GetProperty("last60s")), latency.GetProperty("clampedBelowZero").GetInt64(), latency.GetProperty("clampedAboveMax").GetInt64()),
            new Views(Read(fromScheduled.GetProperty("sinceStart")), Read(fromScheduled.GetProperty("last60s")), fromScheduled.GetProperty("clampedBelowZero").GetInt64(), fromScheduled.GetProperty("clampedAboveMax").GetInt64()),
            latency.GetProperty("withoutScheduledTime").GetInt64());
    }

    private static Figures Read(JsonElement view) => new(
        view.GetProperty("count").GetInt64(),
        view.GetProperty("p50").GetDouble(),
        view.GetProperty("p90").GetDouble(),
        view.GetProperty("p99").GetDouble(),
        view.GetProperty("p999").GetDouble(),
        view.GetProperty("max").GetDouble(),
        view.GetProperty("mean").GetDouble());

    private sealed record LatencyFigures(Views FromOccurredAt, Views FromScheduled, long WithoutScheduledTime);

    private sealed record Views(Figures SinceStart, Figures Last60s, long ClampedBelowZero, long ClampedAboveMax);

    private sealed record Figures(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);
}
