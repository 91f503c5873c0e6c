using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// End-to-end latency at steady rates, measured two ways by the service: from occurredAt (when the
/// generator made the event) and from the event's scheduled send time (when it should have been
/// made, which does not hide the generator falling behind: coordinated omission), both to
/// consumption, from its HdrHistogram views of the last minute, read so that they hold no warm-up event.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    // The service's rolling view: 10-second slots of consumption time, the current one plus 6 complete.
    private static readonly TimeSpan Slot = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan View = TimeSpan.FromSeconds(60);

    private static readonly Settings Defaults = new(Rates: [1_000, 10_000, 50_000], WarmupSeconds: 10, Seconds: 60);
    private static readonly Settings SmokeSettings = new(Rates: [1_000], WarmupSeconds: 1, Seconds: 2);

    public string Name => "latency";

    public string Title => "end-to-end latency to consumption, from occurredAt and from the scheduled send time";

    public string Usage => "[--rates 1000,10000,50000] [--warmup 10] [--seconds 60]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(arguments.Doubles("--rates", Defaults.Rates), arguments.Int("--warmup", Defaults.WarmupSeconds), arguments.Int("--seconds", Defaults.Seconds));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var table = new MarkdownTable(
            ["target events/s", "achieved events/s", "service CPU µs/consumed event", "view", "latency from", "events in view", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms", "skipped / failed / broker-evicted", "note"],
            4,
            13);
        foreach (var rate in settings.Rates)
        {
            Progress.Write($"latency: {rate:N0} events/s, {settings.WarmupSeconds} s warm-up, {settings.Seconds} s window");
            await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, ServiceSettings.Bench(), cancellationToken);
            using var client = new ServiceClient(service.BaseAddress);
            await client.SetRateAsync(rate, cancellationToken);
            await client.StartAsync(null, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);

            var warmedUp = DateTimeOffset.UtcNow;
            var before = await client.GeneratorAsync(cancellationToken);
            var statsBefore = await client.StatsAsync(cancellationToken);
            var cpuBefore = service.CpuTime();

            // The view at time t covers consumption from (t rounded down to 10 s) - 60 s to t. Read
            // it at the end of the window, but not before the warm-up has left the view.
            var readAfter = warmedUp + TimeSpan.FromSeconds(settings.Seconds);
            var clean = SlotStart(warmedUp + View + Slot - TimeSpan.FromTicks(1));
            if (settings.Seconds >= View.TotalSeconds && clean > readAfter)
            {
                readAfter = clean;
            }

            var delay = readAfter - DateTimeOffset.UtcNow;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var stats = await Measuring.Poll.UntilAsync(client.StatsAsync, s => s.AnalyticsAt >= readAfter, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), "an analytics snapshot after the window", cancellationToken);
            var after = await client.GeneratorAsync(cancellationToken);
            var readAt = DateTimeOffset.UtcNow;
            var cpuAfter = service.CpuTime();
            await client.StopAsync(cancellationToken);

            var viewStart = SlotStart(stats.AnalyticsAt) - View;
            var latency = stats.Latency.Last60s;
            var fromScheduled = stats.Latency.FromScheduled?.Last60s;
            var achieved = (after.RunEvents - before.RunEvents) / (readAt - warmedUp).TotalSeconds;
            var skipped = after.SkippedEvents - before.SkippedEvents;
            var failed = after.Failed - before.Failed;
            var evicted = stats.Integrity.SkippedMessages - statsBefore.Integrity.SkippedMessages;
            var notes = new List<string>();
            if (viewStart < warmedUp)
            {
                notes.Add($"view includes {(warmedUp - viewStart).TotalSeconds:F0} s before the window's start (warm-up{(viewStart < warmedUp.AddSeconds(-settings.WarmupSeconds) ? " and start-up" : string.Empty)}): window shorter than 60 s");
            }

            if (skipped > 0 || failed > 0 || evicted > 0)
            {
                notes.Add("the service did not hold this rate: latencies include its backlog");
            }

            table.Add([
                Formats.Rate(rate),
                Formats.Rate(achieved),
                Formats.Number((cpuAfter - cpuBefore).TotalSeconds * 1e6 / (stats.Consumer.Consumed - statsBefore.Consumer.Consumed), "F2"),
                Formats.Seconds((stats.AnalyticsAt - viewStart).TotalSeconds),
                "occurredAt",
                .. Figures(latency),
                $"{skipped:N0} / {failed:N0} / {evicted:N0}",
                string.Join("; ", notes),
            ]);

            if (fromScheduled is null)
            {
                table.Add(Formats.Rate(rate), string.Empty, string.Empty, string.Empty, "scheduled send", "not reported by this build of the service");
                continue;
            }

            var unscheduled = stats.Latency.WithoutScheduledTime - statsBefore.Latency.WithoutScheduledTime;
            table.Add([
                Formats.Rate(rate),
                string.Empty,
                string.Empty,
                string.Empty,
                "scheduled send",
                .. Figures(fromScheduled),
                string.Empty,
                unscheduled > 0 ? $"{unscheduled:N0} events consumed in the window had no scheduled time" : string.Empty,
            ]);
        }

        context.Report.Table(table);
        context.Report.Notes([
            $"Per rate: a fresh service (everything as shipped: linger.ms={Repository.ShippedSetting("Kafka:Producer:linger.ms")}, fetch.wait.max.ms={Repository.ShippedSetting("Kafka:Consumer:fetch.wait.max.ms")}), `PUT /api/generator/rate` (constant), `POST /api/generator/start`, {settings.WarmupSeconds} s warm-up, then the window.",
            "Two rows per rate, both per event, recorded by the service in HdrHistograms (3 significant digits) over the same events and the same view. **occurredAt**: consumption time − the event's `occurredAt`, which the generator sets when it makes the event (`GET /api/stats` `latency.last60s`). **scheduled send**: consumption time − when the event was due on the generator's schedule (event k of the constant profile at start + k / rate), which the generator hands to the consumer inside the process by run and seq (`latency.fromScheduled.last60s`). When the generator falls behind its schedule (a busy machine, Kafka pushing back, a batch made after a timer fired late), `occurredAt` moves with it and the first figure leaves that delay out (coordinated omission, openmessaging/benchmark#247); the second includes it, so it is never lower. Events the schedule skipped after falling over a second behind (`skippedEvents`) were never sent and are in neither.",
            "A note on the scheduled-send row counts the events consumed between the end of warm-up and the reading that had no scheduled time (`latency.withoutScheduledTime`, which counts, never guesses: the service keeps the scheduled times of the last 2^19 events it generated, so an event consumed after that many later ones were made has none).",
            "Why the window is 60 s and not 30: `last60s` merges 10-second slots of consumption time (the slot being filled plus the 6 before it), so it always covers 60 to 70 s and cannot be cut to 30 s; and percentiles cannot be subtracted, so `sinceStart` minus the warm-up cannot be computed either. The harness therefore reads `last60s` at the first snapshot (`analyticsAt`) whose view starts after the warm-up ended: the view = the first 60-70 s after warm-up, nothing from start-up or warm-up in it. \"view\" is its exact length and \"events in view\" its count.",
            "Service CPU µs/consumed event = the service's user + system CPU time (utime + stime of /proc/<pid>/stat) from the end of warm-up to the reading / the events the consumer read (`consumer.consumed`) between the two `GET /api/stats` reads in that time; at low rates the service's fixed costs (timers, the analytics snapshot, the broker's polling) dominate it.",
            "Achieved = events generated (`runEvents`) between the end of warm-up and the reading / that time. Skipped / failed / broker-evicted = the generator's `skippedEvents` and `failed`, and integrity `skippedMessages`, over the window.",
        ]);
    }

    private static string[] Figures(LatencyStats latency) =>
    [
        Formats.Count(latency.Count),
        Formats.Milliseconds(latency.P50),
        Formats.Milliseconds(latency.P90),
        Formats.Milliseconds(latency.P99),
        Formats.Milliseconds(latency.P999),
        Formats.Milliseconds(latency.Max),
        Formats.Milliseconds(latency.Mean),
    ];

    /// <summary>The start of the 10-second slot holding <paramref name="time"/> (slots are aligned to UTC multiples of 10 s, as the service's).</summary>
    private static DateTimeOffset SlotStart(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % Slot.Ticks), TimeSpan.Zero);

    private sealed record Settings(IReadOnlyList<double> Rates, int WarmupSeconds, int Seconds)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--rates {string.Join(',', Rates.Select(r => r.ToString(CultureInfo.InvariantCulture)))} --warmup {WarmupSeconds} --seconds {Seconds}");
    }
}
