using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using ClickstreamApi.Api;
using ClickstreamApi.Generation;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Api;

/// <summary>Rate profiles, bounded and seeded runs, and fault injection through the HTTP contract.</summary>
public sealed class GeneratorFeaturesTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_bounded_run_stops_by_itself_after_its_events_are_delivered()
    {
        await _api.SetRateAsync(500);

        var final = await _api.CompleteRunAsync(new { maxEvents = 120 });

        Assert.False(final.Running);
        Assert.Equal(120, final.MaxEvents);
        Assert.Equal(120, final.RunEvents);
        Assert.Equal(0, final.Queued);
        var events = await _api.RunEventsAsync(final.RunId!, 120);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_events()
    {
        await _api.SetRateAsync(500);

        var first = await _api.CompleteRunAsync(new { maxEvents = 200, seed = 4242 });
        var firstEvents = await _api.RunEventsAsync(first.RunId!, 200);
        var second = await _api.CompleteRunAsync(new { maxEvents = 200, seed = 4242 });
        var secondEvents = await _api.RunEventsAsync(second.RunId!, 200);

        Assert.Equal(4242, first.Seed);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(firstEvents.Select(Shape), secondEvents.Select(Shape));
        Assert.NotEqual(firstEvents.Select(e => e.GetProperty("eventId").GetString()), secondEvents.Select(e => e.GetProperty("eventId").GetString()));
    }

    [Fact]
    public async Task A_run_reports_its_seed_so_it_can_be_replayed()
    {
        var final = await _api.CompleteRunAsync(new { maxEvents = 5 });

        Assert.NotNull(final.Seed);
    }

    [Fact]
    public async Task Starting_with_options_while_running_is_a_conflict()
    {
        await _api.StartAsync();

        using var response = await _api.Http.PostAsJsonAsync("/api/generator/start", new { maxEvents = 10 }, ApiClient.Json, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await _api.StopAsync();
    }

    [Theory]
    [InlineData("""{"eventsPerSecond": 200, "profile": "poisson"}""", "poisson")]
    [InlineData("""{"eventsPerSecond": 200, "profile": "burst", "burstSeconds": 1, "pauseSeconds": 2}""", "burst")]
    [InlineData("""{"eventsPerSecond": 200, "profile": "ramp", "rampFromEventsPerSecond": 10, "rampSeconds": 30}""", "ramp")]
    [InlineData("""{"eventsPerSecond": 200, "profile": "constant"}""", "constant")]
    [InlineData("""{"eventsPerSecond": 200}""", "constant")]
    public async Task Rate_profiles_are_set_and_reported(string body, string profile)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(profile, status.RootElement.GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal(200, status.RootElement.GetProperty("eventsPerSecond").GetDouble());
        await _api.SetRateAsync(1);
    }

    [Theory]
    [InlineData("""{"eventsPerSecond": 200, "profile": "bursty"}""", "profile", "Must be one of: constant, poisson, burst, ramp, daily.")]
    [InlineData("""{"eventsPerSecond": 200, "profile": "burst"}""", "burstSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": "burst", "burstSeconds": 1}""", "pauseSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "burstSeconds": 1}""", "burstSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": "ramp"}""", "rampSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": "ramp", "rampSeconds": -1}""", "rampSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": "poisson", "rampSeconds": 5}""", "rampSeconds", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": "ramp", "rampSeconds": 5, "rampFromEventsPerSecond": -3}""", "rampFromEventsPerSecond", null)]
    [InlineData("""{"eventsPerSecond": 200, "profile": 1}""", "profile", null)]
    public async Task Invalid_profile_combinations_get_a_problem_naming_the_field(string body, string field, string? message)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var problem = JsonDocument.Parse(text);
        var messages = problem.RootElement.GetProperty("errors").GetProperty(field);
        if (message is not null)
        {
            Assert.Equal(message, messages[0].GetString());
        }
    }

    [Theory]
    [InlineData("""{"malformed": 1.5}""", "malformed")]
    [InlineData("""{"duplicate": -0.1}""", "duplicate")]
    [InlineData("""{"late": "often"}""", "late")]
    [InlineData("""{"late": 0.5, "lateMaxSeconds": 0}""", "lateMaxSeconds")]
    [InlineData("""{"late": 0.5, "lateMaxSeconds": 100000}""", "lateMaxSeconds")]
    public async Task Invalid_faults_get_a_problem_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PutAsync("/api/generator/faults", content, TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Theory]
    [InlineData("""{"maxEvents": 0}""", "maxEvents")]
    [InlineData("""{"maxEvents": -5}""", "maxEvents")]
    [InlineData("""{"maxEvents": "ten"}""", "maxEvents")]
    [InlineData("""{"seed": 1.5}""", "seed")]
    public async Task Invalid_run_options_get_a_problem_naming_the_field(string body, string field)
    {
        await _api.StopAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _api.Http.PostAsync("/api/generator/start", content, TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.False((await _api.GetGeneratorAsync()).Running);
    }

    [Fact]
    public async Task Injected_faults_are_counted_so_a_consumer_can_reconcile_exactly()
    {
        await _api.SetRateAsync(1000);
        var before = await _api.GetGeneratorAsync();
        var rejectedBefore = (await _api.GetRejectedAsync()).GetProperty("total").GetInt64();
        await _api.SetFaultsAsync(new { malformed = 0.2, duplicate = 0.2, late = 0.3, lateMaxSeconds = 30 });

        var final = await _api.CompleteRunAsync(new { maxEvents = 300, seed = 7 });
        await _api.SetFaultsAsync(new { });

        var malformed = final.Injected.Malformed - before.Injected.Malformed;
        var duplicates = final.Injected.Duplicate - before.Injected.Duplicate;
        var late = final.Injected.Late - before.Injected.Late;
        Assert.InRange(malformed, 30, 100);
        Assert.InRange(duplicates, 30, 100);
        Assert.InRange(late, 50, 150);

        var events = await _api.RunEventsAsync(final.RunId!, 300 + (int)duplicates);
        var seqs = events.Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(300 + duplicates, seqs.Count);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), seqs.Distinct().Order());
        Assert.Equal(duplicates, seqs.Count - seqs.Distinct().Count());

        await Eventually.Until(
            async () => (await _api.GetRejectedAsync()).GetProperty("total").GetInt64() - rejectedBefore,
            count => count == malformed,
            $"exactly {malformed} rejected messages");

        // Late events are older than the event generated just before them.
        var distinct = events.DistinctBy(e => e.GetProperty("seq").GetInt64()).ToList();
        var outOfOrder = distinct.Zip(distinct.Skip(1)).Count(pair => pair.Second.GetProperty("occurredAt").GetDateTimeOffset() < pair.First.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.InRange(outOfOrder, 1, late);
    }

    [Fact]
    public async Task Faults_are_off_by_default()
    {
        var status = await _api.GetGeneratorAsync();

        Assert.Equal(FaultSettings.None with { }, status.Faults with { });
    }

    [Fact]
    public async Task The_achieved_rate_follows_the_target()
    {
        await _api.SetRateAsync(200);
        await _api.StartAsync();

        // The meter still remembers earlier runs for a second or so: wait for this run's figures.
        var status = await Eventually.Until(
            () => _api.GetGeneratorAsync(),
            s => s.TargetEventsPerSecond == 200 && s.Achieved.LastSecond is > 100 and < 300,
            "an achieved rate near 200 events/s",
            TimeSpan.FromSeconds(30));

        Assert.Equal(200, status.EventsPerSecond);
        await _api.StopAsync();
        await _api.SetRateAsync(1);
    }

    private static string Shape(JsonElement e) =>
        string.Join('|', new[] { "userId", "sessionId", "eventType", "page", "referrer", "productId", "amount", "orderId", "utmCampaign" }
            .Select(name => e.TryGetProperty(name, out var value) ? value.ToString() : "-"));
}
