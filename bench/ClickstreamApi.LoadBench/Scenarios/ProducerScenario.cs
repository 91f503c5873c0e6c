using System.Globalization;
using System.Text;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;
using ClickstreamApi.LoadBench.Tools;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// Producing alone: the service's generator and producer (consumer off) against kcat and the
/// exercise's Python producer writing to the same embedded cluster.
/// </summary>
internal sealed class ProducerScenario : IScenario
{
    private static readonly Settings Defaults = new(Events: 1_000_000, Warmup: 100_000, Sample: 1_000);
    private static readonly Settings SmokeSettings = new(Events: 20_000, Warmup: 5_000, Sample: 200);

    public string Name => "producer";

    public string Title => "producer-only throughput against kcat and the exercise's Python producer";

    public string Usage => "[--events 1000000] [--warmup 100000] [--sample 1000]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(arguments.Long("--events", Defaults.Events), arguments.Long("--warmup", Defaults.Warmup), arguments.Int("--sample", Defaults.Sample));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var n = settings.Events;
        await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, ServiceSettings.Bench(("Consumer__Enabled", "false")), cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        var kafka = await client.KafkaAsync(cancellationToken);
        var maximum = (await client.GeneratorAsync(cancellationToken)).MaxEventsPerSecond;
        await client.SetRateAsync(maximum, cancellationToken);

        Progress.Write($"producer: warm-up run of {settings.Warmup:N0} events");
        await client.RunBoundedAsync(settings.Warmup, TimeSpan.FromMilliseconds(20), cancellationToken);
        Progress.Write($"producer: ClickstreamApi, {n:N0} events at up to {maximum:N0}/s");
        var cpuBefore = service.CpuTime();
        var ours = await client.RunBoundedAsync(n, TimeSpan.FromMilliseconds(20), cancellationToken);
        var cpu = (service.CpuTime() - cpuBefore).TotalSeconds / ours.Seconds;
        var oursRate = ours.Delivered / ours.Seconds;

        var table = new MarkdownTable(["producer", "events", "time", "events/s", "service CPU µs/event", "bytes/event (value)", "MB/s (values)", "ClickstreamApi ÷ it", "notes"], leftAligned: 8);
        var sample = context.Tools.Kcat is { } kcat ? await SampleAsync(kcat.Path, kafka, "beginning", settings.Sample, cancellationToken) : null;
        var oursBytes = sample?.AverageValueBytes ?? double.NaN;
        table.Add(
            "ClickstreamApi generator + producer (Consumer:Enabled=false)",
            Formats.Count(ours.Delivered),
            Formats.Seconds(ours.Seconds),
            Formats.Rate(oursRate),
            Formats.Number(cpu * ours.Seconds * 1e6 / ours.Delivered, "F2"),
            double.IsNaN(oursBytes) ? "n/a (sampled with kcat)" : Formats.Number(oursBytes, "F0"),
            Formats.Number(oursRate * oursBytes / 1e6, "F1"),
            "1.00",
            $"failed {ours.Failed:N0}; service CPU {Formats.Percent(cpu)} of 1 core; the pacer skipped {ours.Skipped:N0} (expected: the rate is set to the maximum, {maximum:N0}/s, which it cannot reach)");

        // kcat: the same events (real ones, read back from the topic), repeated to N lines.
        if (context.Tools.Kcat is not { } kcatTool)
        {
            table.Add("kcat -P", ToolBox.KcatMissing);
        }
        else if (sample is null || sample.Lines.Count == 0)
        {
            table.Add("kcat -P", "not run: could not read a sample of events from the topic with kcat -C");
        }
        else
        {
            Progress.Write($"producer: kcat -P, {n:N0} lines");
            var file = WriteRepeated(sample.Lines, n);
            try
            {
                var result = await ExternalProcess.RunAsync(kcatTool.Path, ["-P", "-b", kafka.BootstrapServers, "-t", kafka.Topic, "-K", "\t", "-l", file], TimeSpan.FromMinutes(10), cancellationToken);
                if (result.Succeeded)
                {
                    var rate = n / result.Seconds;
                    table.Add(
                        $"{kcatTool.Version}: kcat -P -K '\\t' -l FILE",
                        Formats.Count(n),
                        Formats.Seconds(result.Seconds),
                        Formats.Rate(rate),
                        "n/a (not the service)",
                        Formats.Number(sample.AverageValueBytes, "F0"),
                        Formats.Number(rate * sample.AverageValueBytes / 1e6, "F1"),
                        Formats.Ratio(oursRate / rate),
                        $"{sample.Lines.Count:N0} real events (key = userId, value = the JSON) read back with kcat -C, repeated to {n:N0} lines; timed from start to exit (it waits for every delivery)" + ErrorNote(result.Error));
                }
                else
                {
                    table.Add("kcat -P", $"failed: {result.Failure}");
                }
            }
            finally
            {
                File.Delete(file);
            }
        }

        // The exercise's producer, adapted as little as a bounded benchmark needs.
        var script = ExerciseScripts.Producer(Repository.SeedDirectory, kafka.BootstrapServers, n);
        if (context.Tools.Python is not { } python)
        {
            table.Add("exercise Python producer", ToolBox.PythonMissing);
        }
        else if (script.NotRun is { } notRun)
        {
            table.Add("exercise Python producer", notRun);
        }
        else
        {
            Progress.Write($"producer: the exercise's Python producer, {n:N0} messages");
            var path = script.WriteTemporary("clickstream_producer.py");
            try
            {
                var result = await ExternalProcess.RunAsync(python.Path, [path], TimeSpan.FromMinutes(10), cancellationToken);
                var failures = result.Output.Split('\n').Count(line => line.StartsWith("Message delivery failed", StringComparison.Ordinal));
                var report = result.Output.Split('\n').FirstOrDefault(line => line.StartsWith("bench: ", StringComparison.Ordinal))?.Trim();
                if (result.Succeeded)
                {
                    var rate = n / result.Seconds;
                    // Its messages ("User 42 clicked on /page3 at 1732480000.123") are the newest on every partition.
                    var measured = context.Tools.Kcat is { } reader
                        ? await SampleAsync(reader.Path, kafka, $"-{Math.Max(1, settings.Sample / kafka.Partitions)}", settings.Sample, cancellationToken)
                        : null;
                    var bytes = measured?.AverageValueBytes ?? AverageExerciseMessageBytes();
                    table.Add(
                        "exercise Python producer (../shared/seed)",
                        Formats.Count(n),
                        Formats.Seconds(result.Seconds),
                        Formats.Rate(rate),
                        "n/a (not the service)",
                        Formats.Number(bytes, "F0"),
                        Formats.Number(rate * bytes / 1e6, "F1"),
                        Formats.Ratio(oursRate / rate),
                        $"{python.Version}; timed from start to exit (interpreter start included); {failures:N0} delivery failures; it says: {report}" + (measured is null ? "; bytes/event estimated (kcat needed to read them back)" : string.Empty));
                }
                else
                {
                    table.Add("exercise Python producer", $"failed: {result.Failure}");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        context.Report.Table(table);
        context.Report.Notes(new[]
        {
            $"Same embedded cluster for all three (the service's, bootstrap from `GET /api/kafka`: topic `{kafka.Topic}`, {kafka.Partitions} partitions); the service stays idle while kcat and Python run.",
            $"ClickstreamApi: service started with Consumer:Enabled=false, rate set to Generator:MaxEventsPerSecond ({maximum:N0}/s) with `PUT /api/generator/rate`, a warm-up run of {settings.Warmup:N0} events, then `POST /api/generator/start {{\"maxEvents\": {n}}}`; events/s = N / (start request to the first poll of `GET /api/generator` (every 20 ms) showing the run finished: delivered, nothing queued). Its producer is idempotent with acks=all and linger.ms={Repository.ShippedSetting("Kafka:Producer:linger.ms")}; kcat and Python use librdkafka's defaults (not idempotent, linger.ms=5).",
            "Service CPU µs/event = the service's user + system CPU time (utime + stime of /proc/<pid>/stat) over its timed run / events delivered; kcat's and Python's own CPU is not measured.",
            "bytes/event = average Kafka message value of the sample (keys, about 4 bytes, not counted). MB/s = events/s × bytes/event / 10^6. The exercise's messages are ~12× smaller, so compare its events/s with that in mind.",
            "Exercise producer changes: " + (script.Changes.Count > 0 ? string.Join("; ", script.Changes) : "none (not run)") + ".",
            $"The embedded broker keeps about 5 MiB per partition, so most of these messages are evicted as newer ones arrive; producing is unaffected.",
        });
    }

    /// <summary>Up to <paramref name="count"/> messages read with kcat from <paramref name="offset"/> (beginning, or -N: the last N of each partition).</summary>
    private static async Task<EventSample?> SampleAsync(string kcat, KafkaInfo kafka, string offset, int count, CancellationToken cancellationToken)
    {
        var result = await ExternalProcess.RunAsync(
            kcat,
            ["-C", "-b", kafka.BootstrapServers, "-t", kafka.Topic, "-o", offset, "-c", count.ToString(CultureInfo.InvariantCulture), "-e", "-q", "-f", "%k\t%s\n"],
            TimeSpan.FromMinutes(1),
            cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.Contains('\t', StringComparison.Ordinal)).ToList();
        var average = lines.Count == 0 ? double.NaN : lines.Average(line => Encoding.UTF8.GetByteCount(line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..]));
        return new EventSample(lines, average);
    }

    private static string WriteRepeated(IReadOnlyList<string> lines, long count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"loadbench-{Environment.ProcessId}-events.txt");
        var encoded = lines.Select(line => Encoding.UTF8.GetBytes(line + "\n")).ToArray();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long i = 0; i < count; i++)
        {
            file.Write(encoded[i % encoded.Length]);
        }

        return path;
    }

    private static double AverageExerciseMessageBytes()
    {
        // Without kcat to read them back: f"User {randint(1, 100)} clicked on /page{randint(1, 10)} at {time.time()}",
        // where user ids 1..100 average 1.92 digits, pages 1..10 1.1 digits, and time.time() prints
        // as 10 digits, a dot and usually 6-7 decimals (about 18 characters).
        return "User ".Length + 1.92 + " clicked on /page".Length + 1.1 + " at ".Length + 18;
    }

    private static string ErrorNote(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : $"; it printed {lines.Length} line(s) on stderr, first: {lines[0]}";
    }

    private sealed record EventSample(IReadOnlyList<string> Lines, double AverageValueBytes);

    private sealed record Settings(long Events, long Warmup, int Sample)
    {
        public string ToArguments() => string.Create(CultureInfo.InvariantCulture, $"--events {Events} --warmup {Warmup} --sample {Sample}");
    }
}
