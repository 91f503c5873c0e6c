using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Load;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;
using ClickstreamApi.LoadBench.Tools;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// The HTTP API under load while the pipeline runs: wrk's closed-loop maximum, an open-loop
/// constant rate measured without coordinated omission, and many live-tail (SSE) clients.
/// </summary>
internal sealed class HttpScenario : IScenario
{
    private const string RecentPath = "/api/events/recent?limit=100";
    private static readonly Settings Defaults = new(Seconds: 20, PipelineRate: 1_000, RequestRate: 2_000, Clients: 100, StreamRate: 10_000);
    private static readonly Settings SmokeSettings = new(Seconds: 1, PipelineRate: 1_000, RequestRate: 200, Clients: 10, StreamRate: 1_000);

    public string Name => "http";

    public string Title => "HTTP API under load, pipeline running";

    public string Usage => "[--seconds 20] [--pipeline-rate 1000] [--request-rate 2000] [--clients 100] [--stream-rate 10000]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Int("--seconds", Defaults.Seconds),
                arguments.Double("--pipeline-rate", Defaults.PipelineRate),
                arguments.Double("--request-rate", Defaults.RequestRate),
                arguments.Int("--clients", Defaults.Clients),
                arguments.Double("--stream-rate", Defaults.StreamRate));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(
            context.ServiceAssembly,
            // Room for every live-tail client, whatever --clients says.
            ServiceSettings.Bench(("Stream__MaxClients", Math.Max(200, settings.Clients + 10).ToString(CultureInfo.InvariantCulture))),
            cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        await client.SetRateAsync(settings.PipelineRate, cancellationToken);
        await client.StartAsync(null, cancellationToken);
        // Let the ring buffer hold more than the 100 events each request asks for.
        await Task.Delay(Settle(settings), cancellationToken);

        var requests = new MarkdownTable(["load on GET " + RecentPath, "requests", "requests/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "service CPU (of 1 core)", "harness CPU", "notes"], leftAligned: 11);
        await WrkAsync(context, service, settings, requests, cancellationToken);
        await ConstantRateAsync(service, settings, requests, cancellationToken);
        context.Report.Table(requests);

        var streams = await StreamsAsync(service, client, settings, cancellationToken);
        context.Report.Table(streams.Table);
        context.Report.Line(streams.Verdict);
        context.Report.Line();
        context.Report.Notes([
            $"One fresh service for the whole scenario, the generator running at {settings.PipelineRate:N0} events/s (constant) during (a) and (b), then at {settings.StreamRate:N0} events/s for (c); ring buffer 10,000 events as shipped. The load generators run on the same {Environment.ProcessorCount} cores as the service; \"harness CPU\" is this harness process's own CPU time over the window (100% = one core), taken from the service.",
            $"(a) wrk is closed-loop: each of its 32 connections sends the next request when the previous answers, so it finds the maximum rate; its percentiles are per completed request (a stall delays requests that are then never sent, so its tail is optimistic).",
            $"(b) the harness's own open-loop client (HttpClient, SocketsHttpHandler, as many connections as requests in flight) sends request i at start + i/{settings.RequestRate:N0} s whatever happens, and measures each from its scheduled time to the last byte of its response, so a stall counts against every request that should have gone out meanwhile (no coordinated omission); {Settle(settings).TotalSeconds:0.#} s of the same load before the {settings.Seconds} s window are not counted. Percentiles are nearest-rank over the successful requests; errors = non-2xx + connection errors + 30 s time-outs.",
            $"(c) {settings.Clients} clients open `GET /api/events/stream` (no filter) at once and read it as fast as they can (bytes scanned for `id:` lines and `event: dropped` notices, nothing else parsed). Once all are connected, the window is the ring buffer's sequences from `buffer.lastSequence` at its start to `buffer.lastSequence` {settings.Seconds} s later (`GET /api/stats`); each client is then given up to 10 s to reach the end before it is stopped. Received = the client's events with a sequence in the window; complete = received every one of them. Dropped notices and events are what the clients were told (`event: dropped`, sum of `dropped`) over their whole connection; `streams.dropped` is the service's counter over the window.",
        ]);
    }

    private static async Task WrkAsync(BenchContext context, ServiceProcess service, Settings settings, MarkdownTable table, CancellationToken cancellationToken)
    {
        if (context.Tools.Wrk is not { } wrk)
        {
            table.Add("(a) wrk -t2 -c32 --latency", ToolBox.WrkMissing);
            return;
        }

        Progress.Write($"http: (a) wrk for {settings.Seconds} s");
        var url = new Uri(service.BaseAddress, RecentPath).ToString();
        var cpu = service.CpuTime();
        var result = await ExternalProcess.RunAsync(
            wrk.Path,
            ["-t2", "-c32", $"-d{settings.Seconds}s", "--latency", url],
            TimeSpan.FromSeconds(settings.Seconds + 60),
            cancellationToken);
        var cpuShare = (service.CpuTime() - cpu).TotalSeconds / result.Seconds;
        var parsed = result.Succeeded ? WrkOutput.Parse(result.Output) : null;
        if (parsed is null)
        {
            table.Add("(a) wrk -t2 -c32 --latency", $"failed: {(result.Succeeded ? "could not read its output" : result.Failure)}");
            return;
        }

        table.Add(
            $"(a) {wrk.Version}: wrk -t2 -c32 -d{settings.Seconds}s --latency (closed loop)",
            Formats.Count(parsed.Requests),
            Formats.Rate(parsed.RequestsPerSecond),
            Formats.Milliseconds(parsed.P50Ms),
            Formats.Milliseconds(parsed.P90Ms),
            Formats.Milliseconds(parsed.P99Ms),
            "n/a",
            Formats.Milliseconds(parsed.MaxMs),
            $"{parsed.Non2xx + parsed.SocketErrors:N0}",
            Formats.Percent(cpuShare),
            "n/a (wrk is its own process)",
            "wrk's own figures (Requests/sec, latency distribution, max)");
    }

    private static async Task ConstantRateAsync(ServiceProcess service, Settings settings, MarkdownTable table, CancellationToken cancellationToken)
    {
        Progress.Write($"http: (b) {settings.RequestRate:N0} requests/s for {settings.Seconds} s, open loop");
        var cpu = service.CpuTime();
        var harnessCpu = HarnessCpu();
        var started = Stopwatch.GetTimestamp();
        var result = await ConstantRateLoad.RunAsync(service.BaseAddress, RecentPath, settings.RequestRate, Settle(settings), TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuShare = (service.CpuTime() - cpu).TotalSeconds / elapsed;
        var harnessShare = (HarnessCpu() - harnessCpu).TotalSeconds / elapsed;
        table.Add(
            $"(b) constant {settings.RequestRate:N0} requests/s for {settings.Seconds} s (open loop, harness client)",
            Formats.Count(result.Scheduled),
            Formats.Rate(result.Succeeded / (double)settings.Seconds),
            Formats.Milliseconds(result.P50Ms),
            "n/a",
            Formats.Milliseconds(result.P99Ms),
            Formats.Milliseconds(result.P999Ms),
            Formats.Milliseconds(result.MaxMs),
            $"{result.ErrorStatus + result.Failed:N0}",
            Formats.Percent(cpuShare),
            Formats.Percent(harnessShare),
            "latency from each request's scheduled send time; requests/s = successful responses / window");
    }

    private static async Task<(MarkdownTable Table, string Verdict)> StreamsAsync(ServiceProcess service, ServiceClient client, Settings settings, CancellationToken cancellationToken)
    {
        Progress.Write($"http: (c) {settings.Clients} live-tail clients at {settings.StreamRate:N0} events/s for {settings.Seconds} s");
        await client.SetRateAsync(settings.StreamRate, cancellationToken);
        await Task.Delay(Settle(settings), cancellationToken);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients + 10 };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, settings.Clients).Select(_ => new SseClient()).ToArray();
        var uri = new Uri("/api/events/stream", UriKind.Relative);
        var running = clients.Select(c => Task.Run(() => c.RunAsync(http, uri, stop.Token), CancellationToken.None)).ToArray();
        try
        {
            await Measuring.Poll.UntilAsync(
                _ => Task.FromResult(clients.Count(c => c.Connected || c.Error is not null)),
                count => count == clients.Length,
                TimeSpan.FromMilliseconds(50),
                TimeSpan.FromSeconds(30),
                "every live-tail client to connect",
                cancellationToken);

            var statsBefore = await client.StatsAsync(cancellationToken);
            var cpu = service.CpuTime();
            var harnessCpu = HarnessCpu();
            var before = await client.GeneratorAsync(cancellationToken);
            var windowStart = statsBefore.Buffer.LastSequence;
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
            var statsAfter = await client.StatsAsync(cancellationToken);
            var cpuShare = (service.CpuTime() - cpu).TotalSeconds / settings.Seconds;
            var harnessShare = (HarnessCpu() - harnessCpu).TotalSeconds / settings.Seconds;
            var after = await client.GeneratorAsync(cancellationToken);
            var windowEnd = statsAfter.Buffer.LastSequence;

            // Give slow clients a moment to reach the end of the window, then stop them all.
            var patience = Stopwatch.GetTimestamp();
            while (clients.Any(c => c.Error is null && c.LastSequence < windowEnd) && Stopwatch.GetElapsedTime(patience) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100, cancellationToken);
            }

            var caughtUp = clients.Count(c => c.LastSequence >= windowEnd);
            await stop.CancelAsync();
            await Task.WhenAll(running);

            var expected = windowEnd - windowStart;
            var received = clients.Select(c => c.ReceivedBetween(windowStart, windowEnd)).ToArray();
            var complete = received.Count(r => r == expected);
            var errors = clients.Where(c => c.Error is not null).Select(c => c.Error!).Distinct().ToArray();
            var table = new MarkdownTable(["live-tail clients", "events in window", "generated/s", "received per client (min / avg / max)", "complete clients", "dropped notices (clients)", "dropped events (clients)", "streams.dropped (service, window)", "service CPU (of 1 core)", "harness CPU", "notes"], leftAligned: 10);
            table.Add(
                Formats.Count(settings.Clients),
                Formats.Count(expected),
                Formats.Rate((after.RunEvents - before.RunEvents) / (double)settings.Seconds),
                $"{received.Min():N0} / {received.Average():N0} / {received.Max():N0}",
                $"{complete} of {settings.Clients}",
                Formats.Count(clients.Sum(c => c.DroppedNotices)),
                Formats.Count(clients.Sum(c => c.DroppedEvents)),
                Formats.Count(statsAfter.Streams.Dropped - statsBefore.Streams.Dropped),
                Formats.Percent(cpuShare),
                Formats.Percent(harnessShare),
                $"{caughtUp} of {settings.Clients} reached the window's end; {statsAfter.Streams.Refused - statsBefore.Streams.Refused} refused" + (errors.Length > 0 ? "; errors: " + string.Join(", ", errors) : string.Empty));
            var verdict = complete == settings.Clients
                ? $"**Every one of the {settings.Clients} clients received every one of the {expected:N0} events consumed in the window.**"
                : $"**Not every client received every event: {complete} of {settings.Clients} did**; the others lost events (told by `event: dropped`) or did not reach the window's end in time.";
            return (table, verdict);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    /// <summary>This process's CPU time: the load generator competes with the service for the same cores.</summary>
    private static TimeSpan HarnessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Pauses before each part (and the open-loop client's uncounted warm-up): 2 s, less in short runs.</summary>
    private static TimeSpan Settle(Settings settings) => TimeSpan.FromSeconds(Math.Min(2, settings.Seconds / 4.0));

    private sealed record Settings(int Seconds, double PipelineRate, double RequestRate, int Clients, double StreamRate)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--seconds {Seconds} --pipeline-rate {PipelineRate} --request-rate {RequestRate} --clients {Clients} --stream-rate {StreamRate}");
    }
}
