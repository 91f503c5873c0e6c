using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;
using ClickstreamApi.LoadBench.Tools;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// Consuming alone: kcat, the exercise's Python consumer and the service's own consumer each read
/// the same N events from the beginning of the same pre-filled topic.
/// </summary>
internal sealed class PeersScenario : IScenario
{
    private static readonly Settings Defaults = new(Events: 200_000, Partitions: 48);
    private static readonly Settings SmokeSettings = new(Events: 20_000, Partitions: 6);

    public string Name => "peers";

    public string Title => "consumption against kcat and the exercise's Python consumer, same events, same cluster";

    public string Usage => "[--events 200000] [--partitions 48]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(arguments.Long("--events", Defaults.Events), arguments.Int("--partitions", Defaults.Partitions));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var n = settings.Events;

        // The topic: filled by the service's own generator, with nobody reading.
        await using var filler = await ServiceProcess.StartAsync(
            context.ServiceAssembly,
            ServiceSettings.Bench(("Consumer__Enabled", "false"), ("Kafka__Partitions", settings.Partitions.ToString(CultureInfo.InvariantCulture))),
            cancellationToken);
        using var fillerClient = new ServiceClient(filler.BaseAddress);
        var kafka = await fillerClient.KafkaAsync(cancellationToken);
        await fillerClient.SetRateAsync((await fillerClient.GeneratorAsync(cancellationToken)).MaxEventsPerSecond, cancellationToken);
        Progress.Write($"peers: filling {kafka.Topic} ({kafka.Partitions} partitions) with {n:N0} events");
        var fill = await fillerClient.RunBoundedAsync(n, TimeSpan.FromMilliseconds(50), cancellationToken);
        if (fill.Delivered != n || fill.Failed > 0)
        {
            throw new InvalidOperationException($"filling the topic delivered {fill.Delivered:N0} of {n:N0} ({fill.Failed:N0} failed)");
        }

        var table = new MarkdownTable(["consumer", "events", "whole command", "events/s (whole command)", "first to last event", "events/s (first to last)", "notes"], leftAligned: 6);
        await KcatAsync(context, kafka, n, table, cancellationToken);
        var changes = await PythonAsync(context, kafka, n, table, cancellationToken);
        var held = await OursAsync(context, kafka, fill.RunId, n, table, cancellationToken);

        context.Report.Table(table);
        context.Report.Notes([
            $"The topic: a service with Consumer:Enabled=false and Kafka:Partitions={settings.Partitions} filled it with a bounded run of {n:N0} events at the maximum rate; its embedded cluster then served every reader below, one after another, each from the beginning.",
            $"Retention: the embedded broker keeps about 5 MiB per partition; {n:N0} events of ~550 bytes over {settings.Partitions} partitions is about {n * 550.0 / settings.Partitions / (1 << 20):F1} MiB each. " + held,
            "kcat: `kcat -C -b <bootstrap> -t <topic> -o beginning -e -q > /dev/null`, timed from start to exit (no consumer group: it assigns partitions itself); its count is checked by a second, untimed run printing one line per message. Then the same with `-c N` instead of `-e`, which stops at the Nth message like the other two readers do.",
            "Exercise Python consumer: the seed has no answer for the consumer, so the harness carries one written to the exercise's step 3 (Exercise/clickstream_consumer.py: Consumer, subscribe, poll loop, print), changed only thus: " + string.Join("; ", changes) + ". Whole command includes the interpreter's start and the group join; first to last is measured inside the script with time.perf_counter().",
            "ClickstreamApi consumer: a second service on the same cluster (Kafka:BootstrapServers = that bootstrap, Generator:AutoStart=false, consumer as shipped, a group of its own so it starts from the earliest offset). Its consumed count is read as the newest ring-buffer sequence from `GET /api/events/recent?limit=1` every 20 ms from the moment it answers HTTP; first to last = from the first reading above zero to the first reading of N (the events before the first reading are left out of the count). Whole command = from launching the process (.NET start-up, a 1 s wait for the topic admin call the embedded cluster does not support (Kafka:AdminTimeoutSeconds=1, the least allowed), Kafka connection and group join included) to the reading of N. Its first to last figure is a cold process: the consumer's code is still being compiled by the JIT's tiers while it reads.",
        ]);
    }

    private static async Task KcatAsync(BenchContext context, KafkaInfo kafka, long n, MarkdownTable table, CancellationToken cancellationToken)
    {
        if (context.Tools.Kcat is not { } kcat)
        {
            table.Add("kcat -C", ToolBox.KcatMissing);
            return;
        }

        Progress.Write("peers: kcat -C");
        string[] read = ["-C", "-b", kafka.BootstrapServers, "-t", kafka.Topic, "-o", "beginning", "-e", "-q"];
        var timed = await ExternalProcess.RunAsync(kcat.Path, read, TimeSpan.FromMinutes(5), cancellationToken, discardOutput: true);
        if (!timed.Succeeded)
        {
            table.Add("kcat -C", $"failed: {timed.Failure}");
            return;
        }

        var counted = await ExternalProcess.RunAsync(kcat.Path, [.. read, "-f", "%p\n"], TimeSpan.FromMinutes(5), cancellationToken);
        var count = counted.Succeeded ? counted.Output.Count(c => c == '\n') : -1;
        table.Add(
            $"{kcat.Version}: kcat -C -o beginning -e -q > /dev/null",
            Formats.Count(n),
            Formats.Seconds(timed.Seconds),
            Formats.Rate(n / timed.Seconds),
            "n/a",
            "n/a",
            (count == n ? $"count checked: {count:N0}" : $"count check read {count:N0} messages, not {n:N0}")
                + "; -e exits only when the broker answers an empty fetch for every partition, which the embedded broker holds for fetch.wait.max.ms (librdkafka's default, 500 ms)");

        // The same read stopping at the Nth message, as the Python consumer does: no end-of-partition wait.
        var limited = await ExternalProcess.RunAsync(
            kcat.Path,
            ["-C", "-b", kafka.BootstrapServers, "-t", kafka.Topic, "-o", "beginning", "-c", n.ToString(CultureInfo.InvariantCulture), "-q"],
            TimeSpan.FromMinutes(5),
            cancellationToken,
            discardOutput: true);
        if (limited.Succeeded)
        {
            table.Add(
                $"{kcat.Version}: kcat -C -o beginning -c N -q > /dev/null",
                Formats.Count(n),
                Formats.Seconds(limited.Seconds),
                Formats.Rate(n / limited.Seconds),
                "n/a",
                "n/a",
                "exits after the Nth message");
        }
        else
        {
            table.Add("kcat -C -c N", $"failed: {limited.Failure}");
        }
    }

    private static async Task<IReadOnlyList<string>> PythonAsync(BenchContext context, KafkaInfo kafka, long n, MarkdownTable table, CancellationToken cancellationToken)
    {
        var script = ExerciseScripts.Consumer(kafka.BootstrapServers, n, $"loadbench-python-{Guid.NewGuid():N}");
        if (context.Tools.Python is not { } python)
        {
            table.Add("exercise Python consumer", ToolBox.PythonMissing);
            return script.Changes;
        }

        if (script.NotRun is { } notRun)
        {
            table.Add("exercise Python consumer", notRun);
            return script.Changes;
        }

        Progress.Write("peers: the exercise's Python consumer");
        var path = script.WriteTemporary("clickstream_consumer.py");
        try
        {
            var result = await ExternalProcess.RunAsync(python.Path, [path], TimeSpan.FromMinutes(5), cancellationToken);
            // "bench: consumed 200000 first_to_last 0.912345"
            var report = result.Output.Split('\n').FirstOrDefault(line => line.StartsWith("bench: consumed ", StringComparison.Ordinal))?.Split(' ');
            if (!result.Succeeded || report is not { Length: 5 })
            {
                table.Add("exercise Python consumer", $"failed: {(result.Succeeded ? "no report line" : result.Failure)}");
                return script.Changes;
            }

            var consumed = long.Parse(report[2], CultureInfo.InvariantCulture);
            var firstToLast = double.Parse(report[4], CultureInfo.InvariantCulture);
            table.Add(
                $"exercise Python consumer ({python.Version})",
                Formats.Count(consumed),
                Formats.Seconds(result.Seconds),
                Formats.Rate(consumed / result.Seconds),
                Formats.Seconds(firstToLast),
                Formats.Rate((consumed - 1) / firstToLast),
                consumed == n ? "read all" : $"read {consumed:N0} of {n:N0}");
        }
        finally
        {
            File.Delete(path);
        }

        return script.Changes;
    }

    /// <returns>Whether the topic held every event, as a sentence for the notes.</returns>
    private static async Task<string> OursAsync(BenchContext context, KafkaInfo kafka, string fillRunId, long n, MarkdownTable table, CancellationToken cancellationToken)
    {
        Progress.Write("peers: the ClickstreamApi consumer (a second service on the same cluster)");
        var environment = ServiceSettings.Bench(
            ("Kafka__BootstrapServers", kafka.BootstrapServers),
            ("Kafka__Topic", kafka.Topic),
            // The embedded cluster has no topic admin API: wait the least allowed (1 s), not 15 s, to learn that.
            ("Kafka__AdminTimeoutSeconds", "1"));
        await using var reader = ServiceProcess.Launch(context.ServiceAssembly, environment);
        using var client = new ServiceClient(reader.BaseAddress);

        (double Seconds, long Consumed)? first = null;
        double? all = null;
        var deadline = TimeSpan.FromMinutes(2);
        while (Stopwatch.GetElapsedTime(reader.LaunchedAt) < deadline)
        {
            long consumed;
            try
            {
                consumed = await client.NewestSequenceAsync(cancellationToken);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                await Task.Delay(20, cancellationToken);
                continue;
            }

            var at = Stopwatch.GetElapsedTime(reader.LaunchedAt).TotalSeconds;
            if (consumed > 0 && first is null)
            {
                first = (at, consumed);
            }

            if (consumed >= n)
            {
                all = at;
                break;
            }

            await Task.Delay(20, cancellationToken);
        }

        await client.WaitForConsumerAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var stats = await client.StatsAsync(cancellationToken);
        var run = stats.Run(fillRunId);
        var evicted = stats.Integrity.SkippedMessages;
        var complete = run is { Missing: 0 } && run.Received == n && evicted == 0;
        var name = "ClickstreamApi consumer (a second service, same cluster)";
        if (all is not { } end || first is not { } start)
        {
            table.Add(name, Formats.Count(stats.Consumer.Consumed), "n/a", "n/a", "n/a", "n/a", $"did not read {n:N0} events within {deadline.TotalMinutes:F0} min");
        }
        else if (start.Consumed >= n)
        {
            table.Add(name, Formats.Count(n), Formats.Seconds(end), Formats.Rate(n / end), "n/a", "n/a", "all read before the first reading: too fast to time at this N (raise --events)");
        }
        else
        {
            table.Add(
                name,
                Formats.Count(n),
                Formats.Seconds(end),
                Formats.Rate(n / end),
                Formats.Seconds(end - start.Seconds),
                Formats.Rate((n - start.Consumed) / (end - start.Seconds)),
                $"first reading {start.Consumed:N0} at {start.Seconds:F2} s after launch; integrity: received {run?.Received ?? 0:N0}, missing {run?.Missing ?? 0:N0}, broker-evicted {evicted:N0}");
        }

        return complete
            ? $"Checked: the service's consumer received all {n:N0} of the fill run's seqs with none missing and nothing evicted, so the topic held every event for every reader."
            : $"**The topic did not hold every event** (the service's consumer received {run?.Received ?? 0:N0}, broker-evicted {evicted:N0}): raise --partitions or lower --events.";
    }

    private sealed record Settings(long Events, int Partitions)
    {
        public string ToArguments() => string.Create(CultureInfo.InvariantCulture, $"--events {Events} --partitions {Partitions}");
    }
}
