using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Datasets;

/// <summary>
/// The truth of a seeded, bounded run with duplicate, late and malformed faults: checked against the
/// topic as another client reads it, streamed as NDJSON, and reconciled with the consumer's own
/// windows, where every difference must be an injected fault and nothing else.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class TruthReconcileTests : IAsyncLifetime
{
    private const int Events = 20_000;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    private readonly ConfiguredAppFactory _app = new(new() { ["Kafka:Partitions"] = "3" });
    private ApiClient _api = null!;
    private string _runId = null!;

    public async ValueTask InitializeAsync()
    {
        _api = new ApiClient(_app.CreateClient());
        await _api.SetRateAsync(20);
        await _api.SetFaultsAsync(new { duplicate = 0.02, late = 0.05, lateMaxSeconds = 45, malformed = 0.01 });
        var final = await _api.CompleteRunAsync(new { seed = 77, startAt = "2026-11-05T10:00:00Z", asFastAsPossible = true, maxEvents = Events });
        _runId = final.RunId!;
        var kafka = await _api.GetKafkaAsync();
        await TopicEnds.AwaitConsumedAsync(_api, TopicEnds.Query(kafka.BootstrapServers, kafka.Topic));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_truth_counts_what_is_on_the_topic_once_per_event_and_flags_the_faults()
    {
        var truth = await GetTruthAsync();
        var kafka = await _api.GetKafkaAsync();

        // Another client's account: every valid event of the run once (by eventId), in its window.
        var topic = TopicReader.ReadAll(kafka.BootstrapServers, [kafka.Topic]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byWindow = new SortedDictionary<DateTimeOffset, Dictionary<string, long>>();
        var copies = 0;
        foreach (var message in topic)
        {
            if (Parse(message.Value) is not { } e || e.GetProperty("runId").GetString() != _runId)
            {
                continue;
            }

            if (!seen.Add(e.GetProperty("eventId").GetString()!))
            {
                copies++;
                continue;
            }

            var at = e.GetProperty("occurredAt").GetDateTimeOffset();
            var start = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % Window.Ticks), TimeSpan.Zero);
            var pages = byWindow.TryGetValue(start, out var known) ? known : byWindow[start] = new(StringComparer.Ordinal);
            var page = e.GetProperty("page").GetString()!;
            pages[page] = pages.GetValueOrDefault(page) + 1;
        }

        Assert.Equal(Events, seen.Count);
        Assert.Equal(Events, truth.GetProperty("events").GetInt64());
        Assert.True(truth.GetProperty("complete").GetBoolean());
        Assert.Equal(copies, truth.GetProperty("duplicates").GetInt64());
        var windows = truth.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal(byWindow.Keys, windows.Select(w => w.GetProperty("start").GetDateTimeOffset()));
        foreach (var window in windows)
        {
            var expected = byWindow[window.GetProperty("start").GetDateTimeOffset()];
            var actual = window.GetProperty("byPage").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.True(window.GetProperty("final").GetBoolean());
        }

        Assert.Equal(truth.GetProperty("late").GetInt64(), windows.Sum(w => w.GetProperty("injected").GetProperty("late").GetInt64()));
        Assert.Equal(truth.GetProperty("malformed").GetInt64(), windows.Sum(w => w.GetProperty("injected").GetProperty("malformed").GetInt64()));
        Assert.True(truth.GetProperty("late").GetInt64() > 500, "the run sent late events");
    }

    [Fact]
    public async Task Ndjson_streams_one_window_per_line()
    {
        var truth = await GetTruthAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/generator/truth?runId={_runId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await _api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var windows = truth.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal(windows.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal(_runId, line.RootElement.GetProperty("runId").GetString());
            Assert.Equal(windows[i].GetRawText(), line.RootElement.GetRawText());
        }
    }

    [Fact]
    public async Task Reconcile_explains_every_difference_by_the_injected_faults_and_nothing_else()
    {
        var (response, report) = await _api.GetJsonAsync($"/api/stats/reconcile?runId={_runId}&limit=10000&all=true");
        response.Dispose();
        var summary = report.GetProperty("summary");
        var windows = report.GetProperty("windows").EnumerateArray().ToList();

        Assert.Equal(0, summary.GetProperty("unexplained").GetInt32());
        Assert.True(summary.GetProperty("explained").GetInt32() > 0, "duplicates made differences");
        // The run ended and the consumer read all of it: every window is compared, sessions included.
        Assert.True(report.GetProperty("consumerComplete").GetBoolean());
        Assert.Equal(0, summary.GetProperty("open").GetInt32());
        Assert.Equal(0, summary.GetProperty("sessionsPending").GetInt32());
        Assert.True(windows.Count > 50, $"{windows.Count} windows");
        Assert.Equal(windows.Count, summary.GetProperty("compared").GetInt32());
        Assert.All(windows, w => Assert.True(w.GetProperty("sessionsCompared").GetBoolean()));
        Assert.Equal(Events, summary.GetProperty("truthEvents").GetInt64());
        Assert.Equal(Events + summary.GetProperty("duplicatesInjected").GetInt64(), summary.GetProperty("consumedEvents").GetInt64());

        // The differences are exactly the copies: per window, the consumer's surplus of events is the duplicates sent into it.
        var truth = (await GetTruthAsync()).GetProperty("windows").EnumerateArray()
            .ToDictionary(w => w.GetProperty("start").GetDateTimeOffset());
        var lateWindowsEqual = 0;
        foreach (var window in windows)
        {
            var start = window.GetProperty("start").GetDateTimeOffset();
            var differences = window.GetProperty("differences").EnumerateArray().ToList();
            Assert.All(differences, d => Assert.Equal(0m, d.GetProperty("unexplained").GetDecimal()));
            Assert.All(differences, d => Assert.Equal("duplicates", d.GetProperty("explainedBy").GetString()));
            var surplus = differences.Where(d => d.GetProperty("field").GetString() == "events").Sum(d => d.GetProperty("difference").GetDecimal());
            Assert.Equal(truth[start].GetProperty("injected").GetProperty("duplicates").GetInt64(), (long)surplus);
            if (window.GetProperty("late").GetInt64() > 0 && differences.Count == 0)
            {
                lateWindowsEqual++;
            }
        }

        // Late events land in their own window on both sides.
        Assert.True(lateWindowsEqual > 0, "some windows with late events and no duplicates are equal");
    }

    [Fact]
    public async Task An_unknown_run_is_a_404_problem()
    {
        var (response, body) = await _api.GetJsonAsync("/api/generator/truth?runId=not-a-run");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not-a-run", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        response.Dispose();

        var (limit, problem) = await _api.GetJsonAsync("/api/stats/reconcile?limit=0");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.GetRawText());
        limit.Dispose();
    }

    private async Task<JsonElement> GetTruthAsync()
    {
        var (response, truth) = await _api.GetJsonAsync($"/api/generator/truth?runId={_runId}");
        response.EnsureSuccessStatusCode();
        response.Dispose();
        return truth;
    }

    private static JsonElement? Parse(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("runId", out _)
                ? document.RootElement.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
