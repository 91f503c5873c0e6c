using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickstreamApi.Api;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>A fleet member in process, alone in its fleet on its embedded cluster: its HTTP API, its validation, and a control topic with rubbish on it.</summary>
public sealed class FleetMemberAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Fleet:Enabled"] = "true",
    ["Fleet:Name"] = "api-tests",
    ["Fleet:MemberName"] = "solo",
});

public sealed class FleetApiTests(FleetMemberAppFactory factory) : IClassFixture<FleetMemberAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task A_lone_member_owns_every_shard_and_runs_the_fleet_s_whole_rate()
    {
        var fleet = await Eventually.Until(FleetAsync, f => f.Members.Count == 1 && f.Totals.ShardsOwned == 64, "the member to own every shard", TimeSpan.FromSeconds(60));
        Assert.Equal("solo", fleet.Member);
        Assert.Equal("api-tests", fleet.Name);
        // The other members' consumers read this member's embedded cluster too: nothing is deleted for them.
        Assert.Null((await new ApiClient(_http).GetKafkaAsync()).ReadRetention);

        await SendAsync(HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = 200 });
        var start = await SendAsync(HttpMethod.Post, "/api/fleet/start", null);
        var running = await Eventually.Until(FleetAsync, f => f.Members is [{ Running: true, TargetEventsPerSecond: 200 }] && f.Members[0].LastCommandId == start.Id, "the member to run the fleet's rate", TimeSpan.FromSeconds(30));
        var generator = await new ApiClient(_http).GetGeneratorAsync();
        Assert.True(generator.Running);
        Assert.Equal(200, generator.EventsPerSecond);
        Assert.Equal(running.Members[0].RunId, generator.RunId);
        Assert.Equal(start.Id, running.Run!.FleetRunId);

        // Alone in its consumer group, the member's own consumption is the fleet's: every partition, its counts as they are.
        var merged = await Eventually.Until(FleetAsync, f => f.Analytics is { Consumed: > 0, Latency.SinceStart.Count: > 0 }, "the member's consumption in its snapshot", TimeSpan.FromSeconds(30));
        var analytics = merged.Analytics!;
        Assert.Equal(["solo"], analytics.Members);
        Assert.Equal(analytics.TopicPartitions, analytics.PartitionsCovered);
        Assert.Equal(0, analytics.MembersInOtherGroups);
        Assert.Equal(0, analytics.UnreadableSketches);
        Assert.Equal(merged.Members[0].Consumption!.Consumed, analytics.Consumed);
        Assert.StartsWith("clickstream-api-", analytics.ConsumerGroup, StringComparison.Ordinal);
        Assert.Equal("this member's consumer", merged.Run!.SeenBy);

        var stop = await SendAsync(HttpMethod.Post, "/api/fleet/stop", null);
        var command = await Eventually.Until(() => CommandAsync(stop.Id), c => c.Acknowledged.Count == 1, "the stop to be acknowledged", TimeSpan.FromSeconds(30));
        Assert.Equal(["solo"], command.Acknowledged);
        Assert.Empty(command.Pending);
        await Eventually.Until(() => new ApiClient(_http).GetGeneratorAsync(), g => !g.Running, "the generator to stop");
    }

    [Fact]
    public async Task A_simulated_fleet_run_writes_its_period_once_and_is_not_started_again()
    {
        // A backfill of five simulated minutes at 100 events/s: the member's share (all of it) is 30,000 events.
        await SendAsync(HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = 100 });
        var start = await SendAsync(HttpMethod.Post, "/api/fleet/start", new { seed = 5, startAt = "2026-03-01T00:00:00Z", endAt = "2026-03-01T00:05:00Z", asFastAsPossible = true });
        var fleet = await Eventually.Until(FleetAsync, f => f.State!.LastCommandId == start.Id, "the start to be folded in", TimeSpan.FromSeconds(30));
        Assert.NotNull(fleet.State!.Clock);
        Assert.True(fleet.State.Clock!.AsFastAsPossible);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture), fleet.State.Clock.EndAt);

        var api = new ApiClient(_http);
        var done = await Eventually.Until(api.GetGeneratorAsync, g => !g.Running && g.RunEvents > 0 && g.Queued == 0 && g.Clock is not null, "the member's part to end at endAt", TimeSpan.FromSeconds(120));
        Assert.InRange(done.RunEvents, 29_999, 30_001);
        Assert.True(done.Clock!.Now < DateTimeOffset.Parse("2026-03-01T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture));

        // Another command steers the member again while the fleet run is still on: its part is not run a second time.
        var faults = await SendAsync(HttpMethod.Put, "/api/fleet/faults", new { });
        await Eventually.Until(FleetAsync, f => f.Members is [{ LastCommandId: var id }] && id == faults.Id, "the member to apply the next command", TimeSpan.FromSeconds(30));
        var after = await api.GetGeneratorAsync();
        Assert.False(after.Running);
        Assert.Equal(done.RunId, after.RunId);
        Assert.Equal(done.RunEvents, after.RunEvents);

        var stop = await SendAsync(HttpMethod.Post, "/api/fleet/stop", null);
        await Eventually.Until(FleetAsync, f => f.State!.LastCommandId == stop.Id && !f.State.Running, "the fleet to stop");
    }

    [Fact]
    public async Task A_simulated_fleet_start_is_validated_like_a_run_s()
    {
        using var response = await _http.PostAsync("/api/fleet/start", new StringContent("""{"endAt":"2026-03-01T00:05:00Z","speed":0}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("speed", out _), errors.ToString());
    }

    [Theory]
    [InlineData("/api/generator/start", "POST", null)]
    [InlineData("/api/generator/stop", "POST", null)]
    [InlineData("/api/generator/rate", "PUT", """{"eventsPerSecond":5}""")]
    [InlineData("/api/generator/faults", "PUT", """{"duplicate":0.1}""")]
    public async Task A_member_s_own_generator_endpoints_answer_409_and_point_at_the_fleet(string path, string method, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString();
        Assert.Contains(path.Replace("/api/generator", "/api/fleet", StringComparison.Ordinal), detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/fleet/rate", """{"eventsPerSecond":0}""", "eventsPerSecond")]
    [InlineData("/api/fleet/rate", """{"eventsPerSecond":10,"profile":"burst"}""", "burstSeconds")]
    [InlineData("/api/fleet/faults", """{"duplicate":2}""", "duplicate")]
    public async Task Invalid_fleet_commands_get_a_problem_naming_the_field(string path, string body, string field)
    {
        using var response = await _http.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Fact]
    public async Task An_invalid_start_format_is_refused_naming_the_field()
    {
        using var response = await _http.PostAsync("/api/fleet/start", new StringContent("""{"format":"xml"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Rubbish_on_the_control_topic_is_counted_and_skipped_and_later_commands_still_apply()
    {
        await Eventually.Until(FleetAsync, f => f.ShardCount is not null, "the member to find the fleet's topics", TimeSpan.FromSeconds(60));
        var kafka = await new ApiClient(_http).GetKafkaAsync();
        var before = (await FleetAsync()).RejectedMessages;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(new TopicPartition(kafka.Topic + "_fleet", 0), new Message<string, byte[]> { Key = "x", Value = "not a command"u8.ToArray() }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(new TopicPartition(kafka.Topic + "_fleet", 0), new Message<string, byte[]> { Key = "y", Value = """{"kind":"start"}"""u8.ToArray() }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(new TopicPartition(kafka.Topic + "_fleet_status", 0), new Message<string, byte[]> { Key = "z", Value = "{"u8.ToArray() }, TestContext.Current.CancellationToken);
        }

        await Eventually.Until(FleetAsync, f => f.RejectedMessages >= before + 3, "the three messages to be counted", TimeSpan.FromSeconds(30));
        var faults = await SendAsync(HttpMethod.Put, "/api/fleet/faults", new { late = 0.05 });
        var applied = await Eventually.Until(FleetAsync, f => f.State!.LastCommandId == faults.Id, "the next command to apply", TimeSpan.FromSeconds(30));
        Assert.Equal(0.05, applied.State!.Faults.Late);
        await SendAsync(HttpMethod.Put, "/api/fleet/faults", new { });
    }

    [Fact]
    public async Task An_unknown_command_is_404()
    {
        using var response = await _http.GetAsync("/api/fleet/commands/nope", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<FleetStatus> FleetAsync() =>
        (await _http.GetFromJsonAsync<FleetStatus>("/api/fleet", ApiClient.Json, TestContext.Current.CancellationToken))!;

    private async Task<FleetCommandStatus> CommandAsync(string id) =>
        (await _http.GetFromJsonAsync<FleetCommandStatus>($"/api/fleet/commands/{id}", ApiClient.Json, TestContext.Current.CancellationToken))!;

    private async Task<FleetCommandStatus> SendAsync(HttpMethod method, string path, object? body)
    {
        await Eventually.Until(FleetAsync, f => f.ShardCount is not null, "the member to find the fleet's topics", TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: ApiClient.Json) };
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<FleetCommandStatus>(text, ApiClient.Json)!;
    }
}

/// <summary>An instance that is not a fleet member: the fleet's view is empty and its commands refused.</summary>
public sealed class FleetOffTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    [Fact]
    public async Task Without_fleet_mode_the_view_says_so_and_commands_get_409()
    {
        using var http = factory.CreateClient();
        var fleet = (await http.GetFromJsonAsync<FleetStatus>("/api/fleet", ApiClient.Json, TestContext.Current.CancellationToken))!;
        Assert.False(fleet.Enabled);
        Assert.Empty(fleet.Members);

        using var response = await http.PostAsync("/api/fleet/start", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Fleet:Enabled", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
