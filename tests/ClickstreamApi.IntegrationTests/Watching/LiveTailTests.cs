using System.Net;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>GET /api/events/stream read by an HTTP client, message by message, as EventSource would.</summary>
public sealed class LiveTailTests(LiveTailAppFactory factory) : IClassFixture<LiveTailAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task New_events_arrive_with_an_id_and_the_event_as_json()
    {
        await _api.StopAsync();
        using var stream = await OpenAsync("/api/events/stream");
        await _api.SetRateAsync(500);
        var run = await _api.StartAsync(new { maxEvents = 60 });

        var ofRunSoFar = 0;
        var messages = await stream.Reader.ReadUntilAsync(m => m.Event == "click" && RunSeqs(m, run.RunId!) > 0 && ++ofRunSoFar == 60);

        var events = messages.Where(m => m.Event == "click").ToList();
        var ofRun = events.Where(m => m.Json.GetProperty("runId").GetString() == run.RunId).ToList();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), ofRun.Select(m => m.Json.GetProperty("seq").GetInt64()).Order());
        Assert.All(events, m =>
        {
            Assert.Matches("^[0-9a-f]+-[0-9]+$", m.Id!);
            Assert.EndsWith("-" + m.Json.GetProperty("sequence").GetInt64(), m.Id, StringComparison.Ordinal);
        });
        var sequences = events.Select(m => m.Json.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public async Task The_stream_applies_the_filters()
    {
        using var stream = await OpenAsync("/api/events/stream?eventType=page_view&page=/product/");
        await _api.SetRateAsync(1000);
        await _api.StartAsync(new { maxEvents = 500 });

        var messages = await stream.Reader.ReadUntilAsync(m => m.Event == "click");
        messages.AddRange(await stream.Reader.ReadUntilAsync(m => m.Event == "click"));

        Assert.All(messages.Where(m => m.Event == "click"), m =>
        {
            Assert.Equal("page_view", m.Json.GetProperty("eventType").GetString());
            Assert.StartsWith("/product/", m.Json.GetProperty("page").GetString(), StringComparison.Ordinal);
        });
        await _api.StopAsync();
    }

    [Fact]
    public async Task A_quiet_stream_sends_heartbeat_comments()
    {
        await _api.StopAsync();
        using var stream = await OpenAsync("/api/events/stream?userId=nobody-at-all");

        var message = await stream.Reader.ReadAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("heartbeat", message.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconnecting_with_last_event_id_resumes_without_gaps_or_repeats()
    {
        await _api.StopAsync();
        await _api.SetRateAsync(1000);
        List<SseMessage> firstPart;
        using (var first = await OpenAsync("/api/events/stream"))
        {
            await _api.StartAsync(new { maxEvents = 400 });
            firstPart = await first.Reader.ReadUntilAsync(m => m.Event == "click" && m.Json.GetProperty("seq").GetInt64() >= 100);
        }

        // The run finishes while nobody listens; then the client comes back where it left off.
        var status = await Eventually.Until(() => _api.GetGeneratorAsync(), s => !s.Running, "the run to finish while disconnected");
        var newest = (await _api.RunEventsAsync(status.RunId!, 400))[^1].GetProperty("sequence").GetInt64();
        using var second = await OpenAsync("/api/events/stream", firstPart.Last(m => m.Event == "click").Id);
        var secondPart = await second.Reader.ReadUntilAsync(m => m.Event == "click" && m.Json.GetProperty("sequence").GetInt64() >= newest);

        var sequences = firstPart.Concat(secondPart).Where(m => m.Event == "click").Select(m => m.Json.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
        Assert.Equal(newest, sequences[^1]);
    }

    [Fact]
    public async Task Streams_beyond_the_limit_get_a_503_problem()
    {
        // LiveTailAppFactory allows 3 open streams.
        var open = new List<OpenStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add((await Eventually.Until(
                    async () => await TryOpenAsync("/api/events/stream"),
                    s => s is not null,
                    "a stream slot"))!);
            }

            using var refused = await _api.Http.SendAsync(
                new HttpRequestMessage(HttpMethod.Get, "/api/events/stream"),
                HttpCompletionOption.ResponseHeadersRead,
                TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            open.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData("after=nonsense", "after")]
    [InlineData("eventType=", "eventType")]
    public async Task Bad_stream_queries_get_a_problem_naming_the_parameter(string query, string field)
    {
        var (response, body) = await _api.GetJsonAsync($"/api/events/stream?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    private static int RunSeqs(SseMessage message, string runId) =>
        message.Json.GetProperty("runId").GetString() == runId ? (int)message.Json.GetProperty("seq").GetInt64() : -1;

    private async Task<OpenStream> OpenAsync(string path, string? lastEventId = null) =>
        await TryOpenAsync(path, lastEventId) ?? throw new InvalidOperationException("the stream was refused");

    private async Task<OpenStream?> TryOpenAsync(string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            return null;
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new OpenStream(response, new SseReader(body));
    }

    private sealed class OpenStream(HttpResponseMessage response, SseReader reader) : IDisposable
    {
        public SseReader Reader { get; } = reader;

        public void Dispose()
        {
            Reader.Dispose();
            response.Dispose();
        }
    }
}

/// <summary>A reader that stops reading loses events to eviction, is told so, and blocks no one.</summary>
public sealed class SlowReaderTests(SmallBufferAppFactory factory) : IClassFixture<SmallBufferAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_slow_reader_gets_a_dropped_count_while_the_consumer_carries_on()
    {
        await _api.StopAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream");
        using var response = await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var start = (await _api.GetRecentAsync(1)).FirstOrDefault();
        var startSequence = start.ValueKind == JsonValueKind.Undefined ? 0 : start.GetProperty("sequence").GetInt64();
        await _api.SetRateAsync(5000);

        // Not reading: the stream falls behind while 20,000 events (200 buffers' worth) go through.
        var run = await _api.CompleteRunAsync(new { maxEvents = 20_000 });
        var consumed = await _api.RunEventsAsync(run.RunId!, 100);
        var newest = consumed[^1].GetProperty("sequence").GetInt64();

        var messages = await reader.ReadUntilAsync(m => m.Event == "click" && m.Json.GetProperty("sequence").GetInt64() == newest, TimeSpan.FromSeconds(60));

        var dropped = messages.Where(m => m.Event == "dropped").Sum(m => m.Json.GetProperty("dropped").GetInt64());
        var received = messages.Count(m => m.Event == "click");
        Assert.True(dropped > 0, "the slow reader should have lost events to eviction");
        Assert.Equal(newest - startSequence, received + dropped);
    }
}
