using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// The service's CPU time per event at a fixed rate (issue 15): a figure that does not depend on
/// how busy the machine is, as long as the service holds the rate. One fresh service, a constant
/// rate, a warm-up, then a steady window over which the service's utime + stime, the events it
/// generated and the events its consumer read are counted.
/// </summary>
internal sealed class CpuScenario : IScenario
{
    private static readonly Settings Defaults = new(EventsPerSecond: 50_000, Seconds: 60, WarmupSeconds: 15, Format: "json", Headers: true);
    private static readonly Settings SmokeSettings = new(EventsPerSecond: 10_000, Seconds: 5, WarmupSeconds: 2, Format: "json", Headers: true);

    public string Name => "cpu";

    public string Title => "service CPU per event at a fixed rate";

    public string Usage => "[--events-per-second 50000] [--seconds 60] [--warmup 15] [--format json|avro|json-schema] [--headers true|false]";

    // About 1.5 minutes.
    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Double("--events-per-second", Defaults.EventsPerSecond),
                arguments.Int("--seconds", Defaults.Seconds),
                arguments.Int("--warmup", Defaults.WarmupSeconds),
                arguments.Text("--format") ?? Defaults.Format,
                arguments.Bool("--headers", true));
        if (settings.Format is not ("json" or "avro" or "json-schema"))
        {
            throw new ArgumentException($"--format must be json, avro or json-schema, not '{settings.Format}'");
        }

        if (settings.EventsPerSecond <= 0 || settings.Seconds <= 0 || settings.WarmupSeconds < 0)
        {
            throw new ArgumentException("--events-per-second and --seconds must be positive, --warmup not negative");
        }

        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var headers = settings.Headers ? "true" : "false";
        await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, ServiceSettings.Bench(
            ("Output__Format", settings.Format),
            ("Output__Headers", headers),
            ("Consumer__ReadHeaders", headers)), cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        var readyRss = service.ResidentMebibytes();
        await client.SetRateAsync(settings.EventsPerSecond, cancellationToken);
        var run = await client.StartAsync(null, cancellationToken);
        Progress.Write($"cpu: {settings.EventsPerSecond:N0} events/s ({settings.Format}, headers {headers}), {settings.WarmupSeconds} s warm-up, {settings.Seconds} s window");
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);

        var start = await SampleAsync(client, service, cancellationToken);
        var loadStart = MachineInfo.LoadAverage();
        var maxRss = Math.Max(readyRss, service.ResidentMebibytes());
        var windowEnd = start.Clock + (long)(settings.Seconds * Stopwatch.Frequency);
        while (true)
        {
            var left = (windowEnd - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
            if (left <= 0)
            {
                break;
            }

            // A look at memory every 5 s (from /proc); nothing else touches the service in the window.
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, left)), cancellationToken);
            service.EnsureRunning();
            maxRss = Math.Max(maxRss, service.ResidentMebibytes());
        }

        var end = await SampleAsync(client, service, cancellationToken);
        var loadEnd = MachineInfo.LoadAverage();
        maxRss = Math.Max(maxRss, service.ResidentMebibytes());

        // Then the zero-loss check: stop, let the consumer read everything, read the run's integrity.
        await client.StopAsync(cancellationToken);
        await Poll.UntilAsync(client.GeneratorAsync, s => !s.Running && s.Queued == 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), "the run's deliveries", cancellationToken);
        var final = await client.WaitForConsumerAsync(TimeSpan.FromSeconds(120), cancellationToken);
        var finalGenerator = await client.GeneratorAsync(cancellationToken);
        var peakRss = service.PeakResidentMebibytes();
        var integrity = final.Run(run.RunId);

        var seconds = (end.Clock - start.Clock) / (double)Stopwatch.Frequency;
        var generated = end.Generator.RunEvents - start.Generator.RunEvents;
        var delivered = end.Generator.Delivered - start.Generator.Delivered;
        var consumed = end.Stats.Consumer.Consumed - start.Stats.Consumer.Consumed;
        var serviceCpu = (end.Cpu - start.Cpu).TotalSeconds;
        var machineCpu = (end.Machine - start.Machine).TotalSeconds;
        var skipped = end.Generator.SkippedEvents - start.Generator.SkippedEvents;
        var failed = finalGenerator.Failed;
        var evicted = final.Integrity.SkippedMessages;
        var resets = final.Integrity.OffsetResets;
        var generatedRate = generated / seconds;
        var consumedRate = consumed / seconds;
        var perConsumed = serviceCpu * 1e6 / consumed;
        var perGenerated = serviceCpu * 1e6 / generated;

        var problems = new List<string>();
        if (!(Math.Abs(generatedRate - settings.EventsPerSecond) <= 0.01 * settings.EventsPerSecond))
        {
            problems.Add($"generated {Formats.SignedPercent((generatedRate - settings.EventsPerSecond) / settings.EventsPerSecond)} off the target");
        }

        if (!(Math.Abs(consumedRate - generatedRate) <= 0.01 * generatedRate))
        {
            problems.Add($"consumed {Formats.SignedPercent((consumedRate - generatedRate) / generatedRate)} off the generated rate");
        }

        if (skipped > 0)
        {
            problems.Add($"schedule skipped {skipped:N0}");
        }

        if (failed > 0)
        {
            problems.Add($"{failed:N0} failed deliveries");
        }

        if (evicted > 0 || resets > 0)
        {
            problems.Add($"broker evicted {evicted:N0} ({resets:N0} offset resets)");
        }

        if (integrity is null)
        {
            problems.Add("run not in /api/stats");
        }
        else if (integrity.Missing > 0 || integrity.Duplicates > 0 || integrity.Received != finalGenerator.RunEvents)
        {
            problems.Add($"run received {integrity.Received:N0} of {finalGenerator.RunEvents:N0}, {integrity.Missing:N0} missing, {integrity.Duplicates:N0} duplicates");
        }

        var table = new MarkdownTable(
            ["target events/s", "format, headers", "window", "generated", "consumed", "generated events/s", "consumed events/s", "service CPU", "service CPU (of 1 core)", "**CPU µs / consumed event**", "CPU µs / generated event", "machine CPU besides the service", "load average start → end", "RSS ready / max sampled / peak (VmHWM)"],
            1, 12);
        table.Add(
            Formats.Rate(settings.EventsPerSecond),
            $"{settings.Format}, {headers}",
            Formats.Seconds(seconds),
            Formats.Count(generated),
            Formats.Count(consumed),
            Formats.Rate(generatedRate),
            Formats.Rate(consumedRate),
            Formats.Seconds(serviceCpu),
            Formats.Percent(serviceCpu / seconds),
            $"**{Formats.Number(perConsumed, "F2")}**",
            Formats.Number(perGenerated, "F2"),
            $"{Formats.Seconds(machineCpu - serviceCpu)} ({Formats.Number((machineCpu - serviceCpu) / seconds, "F2")} cores)",
            $"{loadStart} → {loadEnd}",
            $"{Formats.Mebibytes(readyRss)} / {Formats.Mebibytes(maxRss)} / {Formats.Mebibytes(peakRss)} MiB");
        context.Report.Table(table);

        var loss = new MarkdownTable(["delivered in window", "lag at window start / end", "run: generated / received / missing / duplicates", "schedule-skipped in window", "failed", "broker-evicted (offset resets)", "result"], 6);
        loss.Add(
            Formats.Count(delivered),
            $"{Formats.Count(start.Stats.Partitions.TotalLag)} / {Formats.Count(end.Stats.Partitions.TotalLag)}",
            integrity is null ? $"{Formats.Count(finalGenerator.RunEvents)} / run not in /api/stats" : $"{Formats.Count(finalGenerator.RunEvents)} / {Formats.Count(integrity.Received)} / {Formats.Count(integrity.Missing)} / {Formats.Count(integrity.Duplicates)}",
            Formats.Count(skipped),
            Formats.Count(failed),
            $"{Formats.Count(evicted)} ({Formats.Count(resets)})",
            problems.Count == 0 ? "held, nothing lost" : "NOT held: " + string.Join("; ", problems));
        context.Report.Table(loss);
        context.Report.Line($"**{Formats.Number(perConsumed, "F2")} µs of service CPU per consumed event** at {Formats.Rate(settings.EventsPerSecond)} events/s ({settings.Format}, headers {headers}); 300,000 events/s on {Environment.ProcessorCount} cores would need at most {Formats.Number(Environment.ProcessorCount * 1e6 / 300_000, "F2")} µs.");
        context.Report.Line();
        context.Report.Notes([
            $"A fresh service (Output:Format={settings.Format}, Output:Headers={headers}, Consumer:ReadHeaders={headers}, everything else as shipped: linger.ms={Repository.ShippedSetting("Kafka:Producer:linger.ms")}), `PUT /api/generator/rate` {{\"eventsPerSecond\":{settings.EventsPerSecond.ToString(CultureInfo.InvariantCulture)}}} (constant), `POST /api/generator/start` (unbounded), {settings.WarmupSeconds} s warm-up not counted, then the {settings.Seconds} s window; during it the harness only reads /proc (RSS every 5 s).",
            "Window ends: `GET /api/generator` (`runEvents`, `delivered`, `skippedEvents`) and `GET /api/stats` (`consumer.consumed`, lag), then the service's CPU time and /proc/stat; the window's length is between the middles of the two HTTP reads.",
            "Service CPU = user + system time of the service process (utime + stime of /proc/<pid>/stat, via Process.TotalProcessorTime, 10 ms ticks) over the window; it includes the generator, the producer, the embedded broker, the consumer and the analytics, all in the one process. CPU µs / consumed event = that CPU / the events the consumer read in the window; / generated event likewise with `runEvents`. When the rate is held both counts agree within lag, and the figure does not depend on how busy the rest of the machine is (unless the service is starved of CPU and falls behind: then the result column says NOT held).",
            "Machine CPU besides the service = all CPU time on the machine (/proc/stat: user, nice, system, irq, softirq, steal) minus the service's, over the window: the harness, and whatever else was running. Load averages from /proc/loadavg at the window's ends.",
            "Zero loss: after the window the generator is stopped, the consumer waited for (no lag, count steady), and the run's integrity in `GET /api/stats` read: received must equal the run's `runEvents` (warm-up included), nothing missing or duplicated, nothing evicted by the broker (`skippedMessages`, `offsetResets`), nothing skipped by the schedule in the window, no failed delivery. Held = that, and generated and consumed rates within 1% of the target.",
            $"Reference: 300,000 events/s (issue 5's target) on {Environment.ProcessorCount} cores leaves {Formats.Number(Environment.ProcessorCount * 1e6 / 300_000, "F2")} µs of CPU per event, for everything in the process.",
        ]);
        Progress.Write($"cpu: {perConsumed:F2} µs/consumed event, {serviceCpu / seconds:P1} of a core, {(problems.Count == 0 ? "held" : string.Join("; ", problems))}");
    }

    private static async Task<Sample> SampleAsync(ServiceClient client, ServiceProcess service, CancellationToken cancellationToken)
    {
        var before = Stopwatch.GetTimestamp();
        var generator = await client.GeneratorAsync(cancellationToken);
        var stats = await client.StatsAsync(cancellationToken);
        var after = Stopwatch.GetTimestamp();
        return new Sample(generator, stats, (before + after) / 2, service.CpuTime(), MachineCpu.Busy());
    }

    private sealed record Sample(GeneratorStatus Generator, StatsSnapshot Stats, long Clock, TimeSpan Cpu, TimeSpan Machine);

    private sealed record Settings(double EventsPerSecond, int Seconds, int WarmupSeconds, string Format, bool Headers)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--events-per-second {EventsPerSecond} --seconds {Seconds} --warmup {WarmupSeconds} --format {Format} --headers {(Headers ? "true" : "false")}");
    }
}
