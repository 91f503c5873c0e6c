using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Datasets;

/// <summary>Runs on a simulated clock and the daily profile, through the HTTP contract.</summary>
public sealed class SimulatedClockTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_paced_simulated_run_stamps_each_event_with_its_place_on_the_schedule()
    {
        await _api.SetRateAsync(1);

        // One event per simulated second at 50 simulated seconds per second: about 2 s of real time.
        var final = await _api.CompleteRunAsync(new { seed = 5, startAt = "2026-11-01T00:00:00Z", speed = 50, maxEvents = 100 });
        var events = await _api.RunEventsAsync(final.RunId!, 100);

        var start = DateTimeOffset.Parse("2026-11-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            Enumerable.Range(0, 100).Select(i => start.AddSeconds(i)),
            events.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()));

        // The Kafka timestamp is the event's time, not the wall clock.
        Assert.All(events, e => Assert.Equal(e.GetProperty("occurredAt").GetDateTimeOffset(), e.GetProperty("timestamp").GetDateTimeOffset()));
        Assert.NotNull(final.Clock);
        Assert.Equal(50, final.Clock!.Speed);
        // The paced clock runs on while the last events are acknowledged.
        Assert.InRange(final.Clock.Now, start.AddSeconds(99), start.AddSeconds(110));
    }

    [Fact]
    public async Task A_backfilled_day_follows_the_daily_curve_and_ends_at_endAt()
    {
        using var rate = await _api.PutAsync("/api/generator/rate", new { eventsPerSecond = 1, profile = "daily", peakHour = 20, troughHour = 4, peakToTroughRatio = 6 });
        rate.EnsureSuccessStatusCode();

        // 2026-11-04 is a Wednesday: one weekday at an average of 1 event/s is 86,400 events.
        var final = await _api.CompleteRunAsync(new { seed = 9, startAt = "2026-11-04T00:00:00Z", endAt = "2026-11-05T00:00:00Z", asFastAsPossible = true });

        Assert.InRange(final.RunEvents, 86_399, 86_401);
        Assert.True(final.Clock!.AsFastAsPossible);
        Assert.True(final.Clock.Now < DateTimeOffset.Parse("2026-11-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        // By hour, from the truth: trough rate 2/7 of the average, peak 12/7, so the 20:00 hour has about six times the 04:00 hour.
        var (response, truth) = await _api.GetJsonAsync($"/api/generator/truth?runId={final.RunId}");
        response.Dispose();
        var byHour = truth.GetProperty("windows").EnumerateArray()
            .GroupBy(w => w.GetProperty("start").GetDateTimeOffset().Hour)
            .ToDictionary(g => g.Key, g => g.Sum(w => w.GetProperty("events").GetInt64()));
        Assert.InRange(byHour[20], 3_600 * 12 / 7 * 0.95, 3_600 * 12 / 7 * 1.01);
        Assert.InRange(byHour[4], 3_600 * 2 / 7 * 0.99, 3_600 * 2 / 7 * 1.1);
        Assert.Equal(24, byHour.Count);
    }

    [Fact]
    public async Task A_simulated_run_reports_its_clock_and_gets_an_id_from_its_seed_and_start()
    {
        await _api.SetRateAsync(10);
        var first = await _api.CompleteRunAsync(new { seed = 11, startAt = "2030-01-01T00:00:00Z", asFastAsPossible = true, maxEvents = 50 });
        var replay = await _api.CompleteRunAsync(new { seed = 11, startAt = "2030-01-01T00:00:00Z", asFastAsPossible = true, maxEvents = 50 });
        var other = await _api.CompleteRunAsync(new { seed = 12, startAt = "2030-01-01T00:00:00Z", asFastAsPossible = true, maxEvents = 50 });

        Assert.Equal(first.RunId, replay.RunId);
        Assert.NotEqual(first.RunId, other.RunId);

        // The replay is a run of its own, though its id is the same: it generated its 50 events again.
        Assert.Equal(first.Produced + 50, replay.Produced);
        Assert.Equal(50, replay.RunEvents);
        Assert.True(first.Clock!.AsFastAsPossible);
        Assert.Null(first.Clock.Speed);
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T00:00:04.9Z", System.Globalization.CultureInfo.InvariantCulture), first.Clock.Now);
    }

    [Theory]
    [InlineData("""{"asFastAsPossible":true,"speed":10}""", "speed")]
    [InlineData("""{"endAt":"2026-11-02T00:00:00Z"}""", "endAt")]
    [InlineData("""{"startAt":"2026-11-02T00:00:00Z","endAt":"2026-11-01T00:00:00Z"}""", "endAt")]
    [InlineData("""{"speed":0}""", "speed")]
    [InlineData("""{"speed":2000000}""", "speed")]
    [InlineData("""{"startAt":"1960-01-01T00:00:00Z"}""", "startAt")]
    public async Task An_impossible_clock_is_a_400_naming_the_field(string body, string field)
    {
        await _api.StopAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PostAsync("/api/generator/start", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"eventsPerSecond":10,"profile":"daily","peakHour":24}""", "peakHour")]
    [InlineData("""{"eventsPerSecond":10,"profile":"daily","peakHour":4,"troughHour":4}""", "peakHour")]
    [InlineData("""{"eventsPerSecond":10,"profile":"daily","peakToTroughRatio":0.5}""", "peakToTroughRatio")]
    [InlineData("""{"eventsPerSecond":10,"profile":"daily","weekendFactor":0}""", "weekendFactor")]
    [InlineData("""{"eventsPerSecond":10,"profile":"daily","burstSeconds":3}""", "burstSeconds")]
    [InlineData("""{"eventsPerSecond":10,"profile":"constant","peakHour":3}""", "peakHour")]
    [InlineData("""{"eventsPerSecond":900000,"profile":"daily","peakToTroughRatio":10}""", "eventsPerSecond")]
    public async Task An_impossible_daily_profile_is_a_400_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }
}
