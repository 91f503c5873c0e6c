using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// A fleet of 1, 2, 3 ... instances on this machine (issue 16): the first hosts the embedded cluster,
/// the others point at it as an external one, all in fleet mode. The fleet rate is set and the fleet
/// run started through the fleet's own endpoints; over a window the scenario reads every member's
/// generated events and CPU, and the host's consumer. Each size runs with a consumer on every member
/// (as shipped) and with the host's consumer only, because every member's consumer reads the whole topic.
/// </summary>
internal sealed class FleetScenario : IScenario
{
    private const string FleetName = "bench";
    private static readonly Settings Defaults = new(Members: [1, 2, 3], EventsPerSecond: 20_000, Seconds: 30, WarmupSeconds: 10, Consumers: ["all", "host", "shared"]);
    private static readonly Settings SmokeSettings = new(Members: [2], EventsPerSecond: 2_000, Seconds: 3, WarmupSeconds: 2, Consumers: ["all", "shared"]);

    public string Name => "fleet";

    public string Title => "a fleet of instances on one machine: total rate, CPU per event, integrity";

    public string Usage => "[--members 1,2,3] [--events-per-second 20000] [--seconds 30] [--warmup 10] [--consumers all,host,shared]";

    // About 10 minutes with the defaults (3 consumer choices by 3 sizes); run on its own.
    public bool InAll => false;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Doubles("--members", Defaults.Members.Select(m => (double)m).ToArray()).Select(m => (int)m).ToArray(),
                arguments.Double("--events-per-second", Defaults.EventsPerSecond),
                arguments.Int("--seconds", Defaults.Seconds),
                arguments.Int("--warmup", Defaults.WarmupSeconds),
                arguments.Text("--consumers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Defaults.Consumers);
        if (settings.Members.Count == 0 || settings.Members.Any(m => m < 1))
        {
            throw new ArgumentException("--members must list fleet sizes of at least 1");
        }

        if (settings.Consumers.Any(c => c is not ("all" or "host" or "shared")))
        {
            throw new ArgumentException("--consumers must list 'all' (a consumer on every member, each in a group of its own), 'host' (on the first member only) and/or 'shared' (on every member, in one group)");
        }

        if (settings.EventsPerSecond <= 0 || settings.Seconds <= 0 || settings.WarmupSeconds < 0)
        {
            throw new ArgumentException("--events-per-second and --seconds must be positive, --warmup not negative");
        }

        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var table = new MarkdownTable(
            ["members", "consumers", "target events/s", "generated events/s (fleet)", "per member", "consumed events/s (host; shared: all members)", "service CPU, all members (cores)", "**CPU µs / generated event, all members**", "CPU per member (cores)", "machine CPU besides the services", "run: generated / received / missing / duplicates", "failed deliveries", "broker-evicted before the host read them", "result"],
            1, 4, 8, 13);
        foreach (var consumers in settings.Consumers)
        {
            foreach (var size in settings.Members)
            {
                var row = await MeasureAsync(context, settings, size, consumers, cancellationToken);
                table.Add(row);
            }
        }

        context.Report.Table(table);
        context.Report.Notes([
            $"Per fleet size and consumer choice: fresh processes. Member 1 runs the embedded cluster; members 2..N get `Kafka__BootstrapServers=<its address>`. All have `Fleet__Enabled=true`, `Fleet__Name={FleetName}`, `Fleet__SessionTimeoutMilliseconds=6000`, everything else as shipped (fleet mode turns the embedded read retention off: the other members' consumers read the host's cluster in groups of their own). `consumers` = all: every member's consumer runs (as shipped: each reads the whole topic in a group of its own); host: `Consumer__Enabled=false` on members 2..N; shared: every member's consumer runs with `Fleet__ShareConsumerGroup=true` (one group: each reads some partitions, and the consumed rate, the run's counts and the evictions are the sum over the members).",
            "The fleet forms (GET /api/fleet on member 1 lists every member, every shard owned and every member owning some), then `PUT /api/fleet/rate` and `POST /api/fleet/start` on member 1; once every member acknowledges the start, " + $"{settings.WarmupSeconds} s warm-up, then a {settings.Seconds} s window bracketed by `GET /api/generator` on every member (`runEvents`, `skippedEvents`), `GET /api/stats` on member 1 and every member's CPU time (/proc).",
            "CPU µs / generated event = the CPU time of all members together over the window / the events the fleet generated in it. The members share this machine's cores with each other, the embedded broker (inside member 1) and the harness, so the figure for N members on N machines is the per-member column, not the sum.",
            "Then `POST /api/fleet/stop`, every member's queue drained, member 1's consumer waited for, and the fleet run read from member 1's `GET /api/fleet` (`run`: distinct events of every member's run its consumer received, missing seqs, duplicates), with what the embedded broker evicted (its ~5 MiB per partition) before member 1's consumer read it (`GET /api/stats` `integrity.skippedMessages`): a missing event is counted there, never lost unseen. Held = the fleet's generated rate within 1% of the target, nothing skipped by any schedule, the host's consumer no more than 1% behind it (above it is the consumer catching up on the warm-up's lag), and the run complete with no duplicate.",
        ]);
    }

    private static async Task<string[]> MeasureAsync(BenchContext context, Settings settings, int size, string consumers, CancellationToken cancellationToken)
    {
        var everyConsumer = consumers != "host";
        var shared = consumers == "shared";
        var members = new List<(ServiceProcess Process, ServiceClient Client)>();
        try
        {
            var host = await ServiceProcess.StartAsync(context.ServiceAssembly, Environment("member-1", null, consume: true, shared), cancellationToken);
            members.Add((host, new ServiceClient(host.BaseAddress)));
            var kafka = await members[0].Client.KafkaAsync(cancellationToken);
            var others = await Task.WhenAll(Enumerable.Range(2, size - 1).Select(i =>
                ServiceProcess.StartAsync(context.ServiceAssembly, Environment($"member-{i}", kafka.BootstrapServers, everyConsumer, shared), cancellationToken)));
            members.AddRange(others.Select(p => (p, new ServiceClient(p.BaseAddress))));
            var hostClient = members[0].Client;

            var formingSince = Stopwatch.GetTimestamp();
            await Poll.UntilAsync(hostClient.FleetAsync, f => f.Members.Count == size && f.ShardCount is { } shards && f.Totals.ShardsOwned == shards && f.Members.All(m => m.Shards.Count > 0), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(120), $"{size} members to share every shard, each owning some", cancellationToken);
            if (shared)
            {
                // The consumers' group settles too before the run, or a rebalance mid-run reads some events twice.
                await Poll.UntilAsync(hostClient.FleetAsync, f => f.Analytics is { } a && a.Members.Count == Math.Min(size, a.TopicPartitions) && a.PartitionsCovered == a.TopicPartitions, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(120), $"the {size} members' consumers to share every partition", cancellationToken);
            }

            var formed = Poll.SecondsSince(formingSince);
            await hostClient.FleetCommandAsync(HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = settings.EventsPerSecond }, cancellationToken);
            var start = await hostClient.FleetCommandAsync(HttpMethod.Post, "/api/fleet/start", new { seed = 16 }, cancellationToken);
            await Poll.UntilAsync(t => hostClient.FleetCommandStatusAsync(start.Id, t), c => c.Pending.Count == 0 && c.Acknowledged.Count == size, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "every member to apply the start", cancellationToken);
            Progress.Write($"fleet: {size} member(s), consumers {consumers}, formed in {formed:F1} s; {settings.EventsPerSecond:N0} events/s, {settings.WarmupSeconds} s warm-up, {settings.Seconds} s window");
            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);

            var first = await SampleAsync(members, shared, cancellationToken);
            var windowEnd = first.Clock + (long)(settings.Seconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < windowEnd)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, Math.Max(0.01, (windowEnd - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency))), cancellationToken);
                members.ForEach(m => m.Process.EnsureRunning());
            }

            var last = await SampleAsync(members, shared, cancellationToken);

            await hostClient.FleetCommandAsync(HttpMethod.Post, "/api/fleet/stop", null, cancellationToken);
            var finals = new List<GeneratorStatus>();
            foreach (var (_, client) in members)
            {
                finals.Add(await Poll.UntilAsync(client.GeneratorAsync, s => !s.Running && s.Queued == 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), "a member's deliveries", cancellationToken));
            }

            var consumerStats = shared
                ? await Task.WhenAll(members.Select(m => m.Client.WaitForConsumerAsync(TimeSpan.FromSeconds(120), cancellationToken)))
                : [await hostClient.WaitForConsumerAsync(TimeSpan.FromSeconds(120), cancellationToken)];
            var evicted = consumerStats.Sum(s => s.Integrity.SkippedMessages);
            var offsetResets = consumerStats.Sum(s => s.Integrity.OffsetResets);
            var fleet = await hostClient.FleetAsync(cancellationToken);

            var seconds = (last.Clock - first.Clock) / (double)Stopwatch.Frequency;
            var generatedPerMember = members.Select((_, i) => (last.Generators[i].RunEvents - first.Generators[i].RunEvents) / seconds).ToArray();
            var generated = generatedPerMember.Sum();
            var skipped = members.Select((_, i) => last.Generators[i].SkippedEvents - first.Generators[i].SkippedEvents).Sum();
            var consumed = (last.HostConsumed - first.HostConsumed) / seconds;
            var cpuPerMember = members.Select((_, i) => (last.Cpu[i] - first.Cpu[i]).TotalSeconds / seconds).ToArray();
            var cpu = cpuPerMember.Sum();
            var machine = (last.Machine - first.Machine).TotalSeconds / seconds;
            var runEvents = finals.Sum(s => s.RunEvents);

            var problems = new List<string>();
            if (!(Math.Abs(generated - settings.EventsPerSecond) <= 0.01 * settings.EventsPerSecond))
            {
                problems.Add($"generated {Formats.SignedPercent((generated - settings.EventsPerSecond) / settings.EventsPerSecond)} off the target");
            }

            if (skipped > 0)
            {
                problems.Add($"schedules skipped {skipped:N0}");
            }

            // Above the generated rate is the consumer catching up on the warm-up's lag; below it, falling behind.
            if (!(consumed >= 0.99 * generated))
            {
                problems.Add($"host consumed {Formats.SignedPercent((consumed - generated) / generated)} off the generated rate");
            }

            var run = fleet.Run;
            if (run is null)
            {
                problems.Add("no fleet run in GET /api/fleet");
            }
            else if (run.Received != runEvents || run.Missing is not 0 || run.Duplicates > 0)
            {
                problems.Add($"run received {run.Received:N0} of {runEvents:N0}, {run.Missing:N0} missing, {run.Duplicates:N0} duplicates");
            }

            Progress.Write($"fleet: {size} member(s): {generated:N0} events/s generated, {cpu:F2} cores, {cpu * 1e6 / generated:F2} µs/event, {(problems.Count == 0 ? "held" : string.Join("; ", problems))}");
            return
            [
                size.ToString(CultureInfo.InvariantCulture),
                consumers switch { "all" => "every member", "shared" => "every member, one group", _ => "member 1 only" },
                Formats.Rate(settings.EventsPerSecond),
                Formats.Rate(generated),
                string.Join(" / ", generatedPerMember.Select(Formats.Rate)),
                Formats.Rate(consumed),
                Formats.Number(cpu, "F2"),
                $"**{Formats.Number(cpu * 1e6 / generated, "F2")}**",
                string.Join(" / ", cpuPerMember.Select(c => Formats.Number(c, "F2"))),
                $"{Formats.Number(machine - cpu, "F2")} cores",
                run is null ? $"{Formats.Count(runEvents)} / none" : $"{Formats.Count(runEvents)} / {Formats.Count(run.Received)} / {(run.Missing is { } missing ? Formats.Count(missing) : "not proved")} / {Formats.Count(run.Duplicates)}",
                Formats.Count(finals.Sum(s => s.Failed)),
                $"{Formats.Count(evicted)} ({Formats.Count(offsetResets)} offset resets)",
                problems.Count == 0 ? "held, nothing lost" : "NOT held: " + string.Join("; ", problems),
            ];
        }
        finally
        {
            // The members that point at the host first, then the host (and its cluster).
            for (var i = members.Count - 1; i >= 0; i--)
            {
                members[i].Client.Dispose();
                await members[i].Process.DisposeAsync();
            }
        }
    }

    private static IReadOnlyDictionary<string, string> Environment(string member, string? bootstrapServers, bool consume, bool shared) => ServiceSettings.Bench(
        ("Fleet__ShareConsumerGroup", shared ? "true" : "false"),
        ("Fleet__Enabled", "true"),
        ("Fleet__Name", FleetName),
        ("Fleet__MemberName", member),
        ("Fleet__SessionTimeoutMilliseconds", "6000"),
        ("Kafka__BootstrapServers", bootstrapServers ?? string.Empty),
        ("Consumer__Enabled", consume ? "true" : "false"));

    /// <summary>The host's consumer reads the whole topic; consumers sharing one group read parts of it, so theirs add up.</summary>
    private static async Task<Sample> SampleAsync(List<(ServiceProcess Process, ServiceClient Client)> members, bool shared, CancellationToken cancellationToken)
    {
        var before = Stopwatch.GetTimestamp();
        var generators = await Task.WhenAll(members.Select(m => m.Client.GeneratorAsync(cancellationToken)));
        var stats = await Task.WhenAll((shared ? members : members.Take(1)).Select(m => m.Client.StatsAsync(cancellationToken)));
        var after = Stopwatch.GetTimestamp();
        return new Sample(generators, stats.Sum(s => s.Consumer.Consumed), (before + after) / 2, members.Select(m => m.Process.CpuTime()).ToArray(), MachineCpu.Busy());
    }

    private sealed record Sample(GeneratorStatus[] Generators, long HostConsumed, long Clock, TimeSpan[] Cpu, TimeSpan Machine);

    private sealed record Settings(IReadOnlyList<int> Members, double EventsPerSecond, int Seconds, int WarmupSeconds, IReadOnlyList<string> Consumers)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--members {string.Join(',', Members)} --events-per-second {EventsPerSecond} --seconds {Seconds} --warmup {WarmupSeconds} --consumers {string.Join(',', Consumers)}");
    }
}
