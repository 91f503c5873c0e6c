using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.LoadBench.Measuring;

namespace ClickstreamApi.LoadBench.Service;

/// <summary>The service's public HTTP contract, read as any client reads it.</summary>
/// <param name="baseAddress">The service.</param>
/// <param name="timeout">Longest wait for one response (default 30 s; a reconcile of a long run takes longer).</param>
internal sealed class ServiceClient(Uri baseAddress, TimeSpan? timeout = null) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public Uri BaseAddress => baseAddress;

    public async Task<GeneratorStatus> GeneratorAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<GeneratorStatus>("/api/generator", Json, cancellationToken))!;

    public async Task<StatsSnapshot> StatsAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<StatsSnapshot>("/api/stats?top=1&windows=1", Json, cancellationToken))!;

    public async Task<KafkaInfo> KafkaAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<KafkaInfo>("/api/kafka", Json, cancellationToken))!;

    /// <summary>The ring buffer's newest sequence (= events consumed so far), 0 when nothing was consumed.</summary>
    public async Task<long> NewestSequenceAsync(CancellationToken cancellationToken)
    {
        var events = await _http.GetFromJsonAsync<RecentEvent[]>("/api/events/recent?limit=1", Json, cancellationToken);
        return events is { Length: > 0 } ? events[0].Sequence : 0;
    }

    public Task SetRateAsync(double eventsPerSecond, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "/api/generator/rate", new { eventsPerSecond }, cancellationToken);

    /// <summary>Starts a run (bounded when <paramref name="maxEvents"/> is set) and returns the status with its run id.</summary>
    public async Task<GeneratorStatus> StartAsync(long? maxEvents, CancellationToken cancellationToken)
    {
        object body = maxEvents is { } max ? new { maxEvents = max } : new { };
        using var response = await _http.PostAsJsonAsync("/api/generator/start", body, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, cancellationToken))!;
    }

    /// <summary>Sets a profile by its JSON body (<c>new { eventsPerSecond = 100, profile = "daily" }</c>).</summary>
    public Task SetProfileAsync(object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "/api/generator/rate", body, cancellationToken);

    /// <summary>Starts a run with any start body (seed, startAt, asFastAsPossible, endAt, format, ...) and returns the status with its run id.</summary>
    public async Task<GeneratorStatus> StartRunAsync(object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/api/generator/start", body, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<GeneratorStatus>(Json, cancellationToken))!;
    }

    /// <summary>GET /api/stats/reconcile for a run, listing at most <paramref name="limit"/> differing windows.</summary>
    public async Task<ReconcileView> ReconcileAsync(string runId, int limit, CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<ReconcileView>($"/api/stats/reconcile?runId={Uri.EscapeDataString(runId)}&limit={limit}", Json, cancellationToken))!;

    public Task StopAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/generator/stop", null, cancellationToken);

    /// <summary>
    /// A bounded run from start to the moment the generator reports it finished (every event
    /// delivered, nothing queued); the time is measured by this client, polling every
    /// <paramref name="pollInterval"/>, from just before the start request to the midpoint between
    /// the last poll that saw it running and the first that saw it done.
    /// </summary>
    public async Task<BoundedRun> RunBoundedAsync(long maxEvents, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var before = await GeneratorAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var run = await StartAsync(maxEvents, cancellationToken);
        var lastBusy = Stopwatch.GetTimestamp();
        var timeout = TimeSpan.FromMinutes(10);
        while (true)
        {
            await Task.Delay(pollInterval, cancellationToken);
            var polled = Stopwatch.GetTimestamp();
            var status = await GeneratorAsync(cancellationToken);
            if (!status.Running && status.Queued == 0 && status.RunId == run.RunId)
            {
                var finished = (lastBusy + polled) / 2;
                return new BoundedRun(before, status, run.RunId!, (finished - started) / (double)Stopwatch.Frequency);
            }

            lastBusy = polled;
            if (Poll.SecondsSince(started) > timeout.TotalSeconds)
            {
                await StopAsync(cancellationToken);
                throw new TimeoutException($"a run of {maxEvents:N0} events did not finish within {timeout.TotalMinutes:F0} minutes");
            }
        }
    }

    /// <summary>
    /// Waits until the consumer has read everything on the topic: no lag, and the consumed count
    /// unchanged over half a second (the high watermarks it knows come with its fetches, so one
    /// reading of zero lag can be a moment old); then for an analytics snapshot newer than that.
    /// </summary>
    public async Task<StatsSnapshot> WaitForConsumerAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var previous = await StatsAsync(cancellationToken);
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var current = await StatsAsync(cancellationToken);
            if (current.Partitions.Assigned > 0 && current.Partitions.TotalLag == 0 && previous.Partitions.TotalLag == 0
                && current.Consumer.Consumed == previous.Consumer.Consumed)
            {
                return await Poll.UntilAsync(StatsAsync, s => s.AnalyticsAt > current.GeneratedAt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), "a fresh analytics snapshot", cancellationToken);
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the consumer did not catch up within {timeout.TotalSeconds:F0} s (lag {current.Partitions.TotalLag:N0})");
            }

            previous = current;
        }
    }

    /// <summary>GET /api/fleet: the fleet as this member sees it.</summary>
    public async Task<FleetView> FleetAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<FleetView>("/api/fleet", Json, cancellationToken))!;

    /// <summary>Sends a fleet command (<c>PUT /api/fleet/rate</c>, <c>POST /api/fleet/start</c>, ...) and returns it as published.</summary>
    public async Task<FleetCommandView> FleetCommandAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body ?? new { }) };
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<FleetCommandView>(Json, cancellationToken))!;
    }

    /// <summary>GET /api/fleet/commands/{id}: which live members have applied a command.</summary>
    public async Task<FleetCommandView> FleetCommandStatusAsync(string id, CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<FleetCommandView>($"/api/fleet/commands/{Uri.EscapeDataString(id)}", Json, cancellationToken))!;

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
    }

    private static async Task EnsureSuccess(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}

/// <summary>A bounded run as the client saw it.</summary>
/// <param name="Before">The generator's counters just before the start.</param>
/// <param name="After">Its counters when it reported the run finished.</param>
/// <param name="RunId">The run.</param>
/// <param name="Seconds">Start request to finish, as measured by the client.</param>
internal sealed record BoundedRun(GeneratorStatus Before, GeneratorStatus After, string RunId, double Seconds)
{
    public long Delivered => After.Delivered - Before.Delivered;

    public long Failed => After.Failed - Before.Failed;

    public long Skipped => After.SkippedEvents - Before.SkippedEvents;
}
