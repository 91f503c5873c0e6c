using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// A backfill on the simulated clock: the daily profile, one simulated day generated as fast as
/// possible, with what it costs (wall time, the service's CPU per event, memory), whether the
/// consumer kept up, how long the generator's truth takes to stream, and how the consumer's own
/// windows reconcile with it.
/// </summary>
internal sealed class BackfillScenario : IScenario
{
    private const string NdJson = "application/x-ndjson";
    private static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly Settings Defaults = new(EventsPerSecond: 100, StartAt: DefaultStart, EndAt: DefaultStart.AddHours(24), Format: "json", Seed: 14);
    private static readonly Settings SmokeSettings = Defaults with { EndAt = DefaultStart.AddMinutes(15) };

    public string Name => "backfill";

    public string Title => "a simulated day generated as fast as possible: cost, consumer, truth and reconcile";

    public string Usage => "[--events-per-second 100] [--start-at 2026-11-02T00:00:00Z] [--hours 24 | --end-at 2026-11-03T00:00:00Z] [--format json|avro|json-schema] [--seed 14]";

    // About 3 minutes, like memory or latency.
    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        Settings settings;
        if (smoke)
        {
            settings = SmokeSettings;
        }
        else
        {
            var start = arguments.Text("--start-at") is { } startText ? ParseTime(startText, "--start-at") : Defaults.StartAt;
            var hours = arguments.Text("--hours");
            var endText = arguments.Text("--end-at");
            if (hours is not null && endText is not null)
            {
                throw new ArgumentException("give --hours or --end-at, not both");
            }

            var end = endText is not null ? ParseTime(endText, "--end-at")
                : start.AddHours(hours is null ? 24 : double.Parse(hours, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (end <= start)
            {
                throw new ArgumentException("the end must be after --start-at");
            }

            settings = new Settings(
                arguments.Double("--events-per-second", Defaults.EventsPerSecond),
                start,
                end,
                arguments.Text("--format") ?? Defaults.Format,
                arguments.Int("--seed", Defaults.Seed));
        }

        if (settings.Format is not ("json" or "avro" or "json-schema"))
        {
            throw new ArgumentException($"--format must be json, avro or json-schema, not '{settings.Format}'");
        }

        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, ServiceSettings.Bench(("Output__Format", settings.Format)), cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        var readyRss = service.ResidentMebibytes();

        await client.SetProfileAsync(new { eventsPerSecond = settings.EventsPerSecond, profile = "daily" }, cancellationToken);
        var before = await client.GeneratorAsync(cancellationToken);
        var profile = before.Profile ?? throw new InvalidOperationException("GET /api/generator has no profile");
        var expectedExact = DailyProfile.Events(profile.EventsPerSecond, settings.StartAt, settings.EndAt, profile.PeakHour, profile.TroughHour, profile.PeakToTroughRatio, profile.WeekendFactor);
        // Events k = 0, 1, ... fall where the integral reaches k; those before the end are generated.
        var expected = (long)Math.Ceiling(expectedExact - 1e-6);
        var statsBefore = await client.StatsAsync(cancellationToken);

        var cpuBefore = service.CpuTime();
        var machineBefore = MachineCpu.Busy();
        var started = Stopwatch.GetTimestamp();
        var run = await client.StartRunAsync(
            new { seed = settings.Seed, startAt = settings.StartAt, asFastAsPossible = true, endAt = settings.EndAt, format = settings.Format },
            cancellationToken);
        var runId = run.RunId ?? throw new InvalidOperationException("the start returned no run id");
        Progress.Write($"backfill: run {runId}, {settings.StartAt:u} to {settings.EndAt:u}, expecting {expected:N0} events");

        // Poll until the generator reports the run finished (not running, nothing queued).
        var timeout = TimeSpan.FromMinutes(Math.Max(10, expected / 2_000.0 / 60));
        var lastBusy = started;
        var maxLag = 0L;
        var maxRss = readyRss;
        var nextProgress = 30.0;
        GeneratorStatus done;
        TimeSpan cpuDone;
        TimeSpan machineDone;
        long doneAt;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var polled = Stopwatch.GetTimestamp();
            var status = await client.GeneratorAsync(cancellationToken);
            var cpu = service.CpuTime();
            var machine = MachineCpu.Busy();
            maxRss = Math.Max(maxRss, service.ResidentMebibytes());
            if (!status.Running && status.Queued == 0 && status.RunId == runId)
            {
                done = status;
                cpuDone = cpu;
                machineDone = machine;
                doneAt = (lastBusy + polled) / 2;
                break;
            }

            lastBusy = polled;
            var stats = await client.StatsAsync(cancellationToken);
            maxLag = Math.Max(maxLag, stats.Partitions.TotalLag);
            var elapsed = Poll.SecondsSince(started);
            if (elapsed >= nextProgress)
            {
                Progress.Write($"backfill: {elapsed:F0} s, {status.RunEvents:N0} events, simulated clock at {status.Clock?.Now:u}, consumer lag {stats.Partitions.TotalLag:N0}");
                nextProgress += 30;
            }

            if (elapsed > timeout.TotalSeconds)
            {
                await client.StopAsync(cancellationToken);
                throw new TimeoutException($"the backfill did not finish within {timeout.TotalMinutes:F0} minutes ({status.RunEvents:N0} of {expected:N0} events)");
            }
        }

        var wall = (doneAt - started) / (double)Stopwatch.Frequency;
        var events = done.RunEvents;
        var simulatedSeconds = ((done.Clock?.Now ?? settings.EndAt) - settings.StartAt).TotalSeconds;
        var serviceCpu = (cpuDone - cpuBefore).TotalSeconds;
        var machineCpu = (machineDone - machineBefore).TotalSeconds;
        Progress.Write($"backfill: generator done, {events:N0} events in {wall:F1} s, service CPU {serviceCpu:F1} s");

        // Then the consumer: everything on the topic read, and a fresh analytics snapshot.
        var consumerStarted = Stopwatch.GetTimestamp();
        var stats0 = await client.WaitForConsumerAsync(TimeSpan.FromMinutes(10), cancellationToken);
        var catchUp = Poll.SecondsSince(consumerStarted);
        var cpuConsumed = service.CpuTime();
        var pipelineWall = Poll.SecondsSince(started);
        var integrity = stats0.Run(runId);
        var delivered = done.Delivered - before.Delivered;
        var consumed = stats0.Consumer.Consumed - statsBefore.Consumer.Consumed;

        // The truth as NDJSON, streamed: bytes, lines, time, and the service's CPU for it.
        var truth = await StreamTruthAsync(service, runId, cancellationToken);

        // The reconcile report (only its summary and the first differing windows).
        var reconcileCpuBefore = service.CpuTime();
        var reconcileStarted = Stopwatch.GetTimestamp();
        using var patient = new ServiceClient(service.BaseAddress, TimeSpan.FromMinutes(10));
        var reconcile = await patient.ReconcileAsync(runId, 5, cancellationToken);
        var reconcileSeconds = Poll.SecondsSince(reconcileStarted);
        var reconcileCpu = (service.CpuTime() - reconcileCpuBefore).TotalSeconds;
        var peakRss = service.PeakResidentMebibytes();
        maxRss = Math.Max(maxRss, service.ResidentMebibytes());

        var runTable = new MarkdownTable(["simulated span", "format", "events", "expected (daily profile)", "wall", "events/s", "simulated s per real s", "service CPU", "service CPU (of 1 core)", "CPU µs/event", "machine CPU besides the service", "RSS ready / max sampled / peak (VmHWM)"], 1);
        runTable.Add(
            $"{settings.StartAt:yyyy-MM-dd HH:mm} to {settings.EndAt:yyyy-MM-dd HH:mm} UTC ({Formats.Number((settings.EndAt - settings.StartAt).TotalHours, "0.##")} h)",
            settings.Format,
            Formats.Count(events),
            $"{Formats.Count(expected)} ({Formats.Number(expectedExact, "N3")}){(events == expected ? string.Empty : $", off by {events - expected:+#;-#;0}")}",
            Formats.Seconds(wall),
            Formats.Rate(events / wall),
            Formats.Number(simulatedSeconds / wall, "N0"),
            Formats.Seconds(serviceCpu),
            Formats.Percent(serviceCpu / wall),
            Formats.Number(serviceCpu * 1e6 / events, "F2"),
            $"{Formats.Seconds(machineCpu - serviceCpu)} ({Formats.Number((machineCpu - serviceCpu) / wall, "F2")} cores)",
            $"{Formats.Mebibytes(readyRss)} / {Formats.Mebibytes(maxRss)} / {Formats.Mebibytes(peakRss)} MiB");
        context.Report.Table(runTable);

        var consumerTable = new MarkdownTable(["delivered", "consumed", "consumed / delivered", "run integrity: received / missing / duplicates", "broker-evicted", "failed / skipped", "max lag while generating", "catch-up after the generator finished", "service CPU to caught up", "CPU µs/event to caught up"]);
        consumerTable.Add(
            Formats.Count(delivered),
            Formats.Count(consumed),
            Formats.Number(delivered == 0 ? double.NaN : consumed / (double)delivered, "F6"),
            integrity is null ? "run not in /api/stats" : $"{Formats.Count(integrity.Received)} / {Formats.Count(integrity.Missing)} / {Formats.Count(integrity.Duplicates)}",
            Formats.Count(stats0.Integrity.SkippedMessages - statsBefore.Integrity.SkippedMessages),
            $"{Formats.Count(done.Failed - before.Failed)} / {Formats.Count(done.SkippedEvents - before.SkippedEvents)}",
            Formats.Count(maxLag),
            Formats.Seconds(catchUp),
            Formats.Seconds((cpuConsumed - cpuBefore).TotalSeconds) + $" over {Formats.Seconds(pipelineWall)}",
            Formats.Number((cpuConsumed - cpuBefore).TotalSeconds * 1e6 / events, "F2"));
        context.Report.Line("Consumer:");
        context.Report.Line();
        context.Report.Table(consumerTable);

        var truthTable = new MarkdownTable(["GET /api/generator/truth (NDJSON)", "lines (windows)", "bytes", "first byte", "whole body", "MB/s", "service CPU"]);
        truthTable.Add(
            "streamed",
            Formats.Count(truth.Lines),
            Formats.Count(truth.Bytes),
            Formats.Seconds(truth.FirstByteSeconds),
            Formats.Seconds(truth.Seconds),
            Formats.Number(truth.Bytes / 1e6 / truth.Seconds, "F1"),
            Formats.Seconds(truth.ServiceCpuSeconds));
        context.Report.Line("Truth:");
        context.Report.Line();
        context.Report.Table(truthTable);

        var summary = reconcile.Summary;
        var reconcileTable = new MarkdownTable(["GET /api/stats/reconcile", "compared", "equal", "explained", "unexplained", "open", "sessions pending", "truth events", "consumed events", "duplicates / late / malformed injected", "time", "service CPU"]);
        reconcileTable.Add(
            reconcile.TruthComplete ? "truth complete" : "truth NOT complete",
            Formats.Count(summary.Compared),
            Formats.Count(summary.Equal),
            Formats.Count(summary.Explained),
            Formats.Count(summary.Unexplained),
            Formats.Count(summary.Open),
            Formats.Count(summary.SessionsPending),
            Formats.Count(summary.TruthEvents),
            Formats.Count(summary.ConsumedEvents),
            $"{Formats.Count(summary.DuplicatesInjected)} / {Formats.Count(summary.LateInjected)} / {Formats.Count(summary.MalformedInjected)}",
            Formats.Seconds(reconcileSeconds),
            Formats.Seconds(reconcileCpu));
        context.Report.Line("Reconcile:");
        context.Report.Line();
        context.Report.Table(reconcileTable);
        foreach (var window in reconcile.Windows.Where(w => w.Status == "unexplained").Take(5))
        {
            var differences = string.Join("; ", window.Differences.Take(4).Select(d => $"{d.Field}{(d.Key is null ? string.Empty : $"[{d.Key}]")} truth {d.Truth} consumer {d.Consumer}"));
            context.Report.Line($"- unexplained window {window.Start:yyyy-MM-dd HH:mm:ss}: {differences}");
        }

        if (reconcile.Windows.Any(w => w.Status == "unexplained"))
        {
            context.Report.Line();
        }

        context.Report.Notes([
            $"A fresh service (Output:Format={settings.Format}, everything else as shipped), `PUT /api/generator/rate` {{\"eventsPerSecond\":{settings.EventsPerSecond.ToString(CultureInfo.InvariantCulture)},\"profile\":\"daily\"}} (peak {profile.PeakHour ?? DailyProfile.DefaultPeakHour} h, trough {profile.TroughHour ?? DailyProfile.DefaultTroughHour} h, ratio {profile.PeakToTroughRatio ?? DailyProfile.DefaultPeakToTroughRatio}, weekend × {profile.WeekendFactor ?? DailyProfile.DefaultWeekendFactor}), then `POST /api/generator/start` {{\"seed\":{settings.Seed},\"startAt\":\"{settings.StartAt:yyyy-MM-ddTHH:mm:ssZ}\",\"asFastAsPossible\":true,\"endAt\":\"{settings.EndAt:yyyy-MM-ddTHH:mm:ssZ}\",\"format\":\"{settings.Format}\"}}.",
            "Expected = the daily profile's integral over the span, worked out by the harness from the documented curve (not the service's code); events = `runEvents` of GET /api/generator once the run reports `running: false` with nothing queued.",
            "Wall = the start request to the midpoint between the last poll (every 1 s) that saw the run going and the first that saw it finished; simulated s per real s = the simulated time reached (`clock.now`, the last event's time) − startAt, over wall.",
            "Service CPU = user + system time of the service process (utime + stime of /proc/<pid>/stat) over the same interval; it includes the embedded broker and the consumer, which run in the same process. Machine CPU besides the service = all CPU time on the machine (/proc/stat) minus the service's, over wall: the harness, and whatever else was running.",
            "Consumer: after the generator finished, the harness waits until the consumer has no lag and its count stops moving, then reads GET /api/stats (consumed, the run's integrity, messages the broker evicted before they were read). Max lag = the highest total lag seen at the 1 s polls while generating.",
            "Truth: GET /api/generator/truth?runId=… with Accept: application/x-ndjson, read to the end by the harness (lines = windows of Windows:WindowSeconds); time from the request to the last byte. Reconcile: GET /api/stats/reconcile?runId=…&limit=5, timed likewise.",
            "Peak RSS = VmHWM of /proc/<pid>/status read after the reconcile, the highest resident memory the process had since it started (ready RSS = VmRSS at /health/ready).",
        ]);
    }

    private static async Task<TruthDownload> StreamTruthAsync(ServiceProcess service, string runId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/generator/truth?runId={Uri.EscapeDataString(runId)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(NdJson));
        var cpuBefore = service.CpuTime();
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        long lines = 0;
        var firstByte = double.NaN;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (bytes == 0)
            {
                firstByte = Poll.SecondsSince(started);
            }

            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        var seconds = Poll.SecondsSince(started);
        return new TruthDownload(bytes, lines, firstByte, seconds, (service.CpuTime() - cpuBefore).TotalSeconds);
    }

    private static DateTimeOffset ParseTime(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new ArgumentException($"{option} must be an ISO 8601 time (2026-11-02T00:00:00Z), not '{text}'");

    private sealed record TruthDownload(long Bytes, long Lines, double FirstByteSeconds, double Seconds, double ServiceCpuSeconds);

    private sealed record Settings(double EventsPerSecond, DateTimeOffset StartAt, DateTimeOffset EndAt, string Format, int Seed)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--events-per-second {EventsPerSecond} --start-at {StartAt:yyyy-MM-ddTHH:mm:ssZ} --end-at {EndAt:yyyy-MM-ddTHH:mm:ssZ} --format {Format} --seed {Seed}");
    }
}
