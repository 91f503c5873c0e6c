using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>
/// The highest constant rate the whole pipeline holds for a window with nothing lost: a search over
/// bounded runs, each on a fresh service so one attempt's backlog cannot leak into the next.
/// </summary>
internal sealed class ThroughputScenario : IScenario
{
    private static readonly Settings Defaults = new(Seconds: 30, Start: 50_000, Factor: 1.25, Bisections: 2, MaxAttempts: 10, WarmupSeconds: 5, Format: "json", Headers: true);
    private static readonly Settings SmokeSettings = new(Seconds: 2, Start: 5_000, Factor: 1.25, Bisections: 0, MaxAttempts: 1, WarmupSeconds: 1, Format: "json", Headers: true);

    public string Name => "throughput";

    public string Title => "highest constant rate held with zero loss";

    public string Usage => "[--seconds 30] [--start 50000] [--factor 1.25] [--bisect 2] [--max-attempts 10] [--warmup 5] [--format json|avro|json-schema] [--headers true|false]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Int("--seconds", Defaults.Seconds),
                arguments.Double("--start", Defaults.Start),
                arguments.Double("--factor", Defaults.Factor),
                arguments.Int("--bisect", Defaults.Bisections),
                arguments.Int("--max-attempts", Defaults.MaxAttempts),
                arguments.Int("--warmup", Defaults.WarmupSeconds),
                arguments.Text("--format") ?? Defaults.Format,
                arguments.Bool("--headers", true));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var attempts = new List<Attempt>();
        async Task<bool> TryAsync(double rate)
        {
            Progress.Write($"throughput: attempt {attempts.Count + 1}, {rate:N0} events/s for {settings.Seconds} s");
            Attempt attempt;
            try
            {
                attempt = await AttemptAsync(context, settings, rate, cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                // A service that cannot keep up may also fail to answer in time: that is a failed attempt, not a broken harness.
                attempt = Attempt.Broken(rate, exception.Message);
            }

            attempts.Add(attempt);
            Progress.Write($"throughput: {rate:N0} events/s {attempt.Result}");
            return attempt.Passed;
        }

        // Step up until an attempt fails (or down until one passes), then bisect between the two.
        double? highestPass = null;
        double? lowestFail = null;
        var rate = settings.Start;
        while (attempts.Count < settings.MaxAttempts && (highestPass is null || lowestFail is null))
        {
            if (await TryAsync(rate))
            {
                highestPass = rate;
                rate = Round(rate * settings.Factor);
            }
            else
            {
                lowestFail = rate;
                rate = Round(rate / settings.Factor);
            }
        }

        for (var i = 0; i < settings.Bisections && attempts.Count < settings.MaxAttempts && highestPass is { } low && lowestFail is { } high; i++)
        {
            var middle = Round((low + high) / 2);
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (await TryAsync(middle))
            {
                highestPass = middle;
            }
            else
            {
                lowestFail = middle;
            }
        }

        var table = new MarkdownTable(
            ["attempt", "target events/s", "achieved events/s", "error", "lowest 10 s rate", "consumed", "missing", "duplicates", "broker-evicted", "schedule-skipped", "failed", "duration", "service CPU (of 1 core)", "CPU µs/event", "result"],
            leftAligned: 14);
        foreach (var (attempt, index) in attempts.Select((a, i) => (a, i + 1)))
        {
            table.Add(
                index.ToString(CultureInfo.InvariantCulture),
                Formats.Rate(attempt.Target),
                Formats.Rate(attempt.Achieved),
                Formats.SignedPercent((attempt.Achieved - attempt.Target) / attempt.Target),
                Formats.Rate(attempt.LowestTenSecondRate),
                Formats.Count(attempt.Consumed),
                Formats.Count(attempt.Missing),
                Formats.Count(attempt.Duplicates),
                Formats.Count(attempt.BrokerEvicted),
                Formats.Count(attempt.ScheduleSkipped),
                Formats.Count(attempt.Failed),
                Formats.Seconds(attempt.Seconds),
                Formats.Percent(attempt.Cpu),
                Formats.Number(attempt.Cpu * attempt.Seconds * 1e6 / Math.Round(attempt.Target * settings.Seconds), "F2"),
                attempt.Result);
        }

        context.Report.Table(table);
        var verdict = highestPass is { } best
            ? $"**Highest passing rate: {Formats.Rate(best)} events/s**" + (lowestFail is { } fail ? $" (lowest failing: {Formats.Rate(fail)} events/s)." : $" (no attempt failed within {settings.MaxAttempts} attempts; raise --max-attempts).")
            : $"**No attempt passed** (lowest tried: {Formats.Rate(attempts.Min(a => a.Target))} events/s).";
        context.Report.Line(verdict);
        context.Report.Line();
        context.Report.Notes([
            $"Each attempt: a fresh service (consumer on, everything as shipped), `PUT /api/generator/rate` to the target, a {settings.WarmupSeconds} s warm-up run at the target rate (its events are read to the end and then ignored), then `POST /api/generator/start {{\"maxEvents\": target × {settings.Seconds}}}`.",
            "Pass = every event of the run consumed (`/api/stats` integrity for the run: received = maxEvents, missing 0, duplicates 0), the broker evicted nothing (integrity `skippedMessages`/`offsetResets` unchanged), the generator skipped nothing (`skippedEvents` unchanged) and no delivery failed (`failed` unchanged), and the achieved rate is within 1% of the target.",
            "Achieved = maxEvents / (time from the run's `runStartedAt` to the moment its last event was generated); that moment is bracketed by polling `GET /api/generator` (`runEvents`) every 50 ms (±25 ms, under 0.1% of a 30 s run). Lowest 10 s rate = the smallest `achieved.last10Seconds` sampled once the run was 10.5 s old (n/a for shorter runs).",
            "Consumed = the run's events the consumer received (integrity `received`); missing = seqs that never arrived; broker-evicted = messages the embedded broker dropped before the consumer read them (its retention is about 5 MiB per partition).",
            "Duration = start to last event generated. Service CPU = the process's user+system CPU time over that duration, 100% = one core (the machine has " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + "). CPU µs/event = that CPU time / maxEvents (utime + stime of /proc/<pid>/stat; the consumer's reading of the run's last moments, after its last event was generated, is not in it).",
            $"Search: start at {Formats.Rate(settings.Start)}, multiply by {settings.Factor.ToString(CultureInfo.InvariantCulture)} after a pass (divide after a failure) until both a pass and a failure are known, then bisect {settings.Bisections} time(s); rates rounded to 500; at most {settings.MaxAttempts} attempts.",
        ]);
    }

    private static async Task<Attempt> AttemptAsync(BenchContext context, Settings settings, double rate, CancellationToken cancellationToken)
    {
        var events = (long)Math.Round(rate * settings.Seconds);
        await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, ServiceSettings.Bench(
            ("Output__Format", settings.Format),
            ("Output__Headers", settings.Headers ? "true" : "false"),
            ("Consumer__ReadHeaders", settings.Headers ? "true" : "false")), cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        await client.SetRateAsync(rate, cancellationToken);
        if (settings.WarmupSeconds > 0)
        {
            // JIT, connections, buffers and the consumer group, at the rate to be measured.
            await client.RunBoundedAsync((long)Math.Round(rate * settings.WarmupSeconds), TimeSpan.FromMilliseconds(100), cancellationToken);
            await client.WaitForConsumerAsync(TimeSpan.FromSeconds(120), cancellationToken);
        }

        var before = await client.GeneratorAsync(cancellationToken);
        var statsBefore = await client.StatsAsync(cancellationToken);
        var cpuBefore = service.CpuTime();
        var run = await client.StartAsync(events, cancellationToken);
        var runStarted = run.RunStartedAt ?? DateTimeOffset.UtcNow;
        var generationProblems = new List<string>();

        // Poll until the run's last event is generated, sampling its 10-second rate on the way.
        var lowestTenSecondRate = double.NaN;
        var lastBelow = DateTimeOffset.UtcNow;
        var limit = TimeSpan.FromSeconds((2 * settings.Seconds) + 30);
        DateTimeOffset? generatedAll = null;
        TimeSpan cpuAfter;
        while (true)
        {
            await Task.Delay(50, cancellationToken);
            var polledAt = DateTimeOffset.UtcNow;
            var status = await client.GeneratorAsync(cancellationToken);
            if (status.RunEvents >= events || (!status.Running && status.RunId == run.RunId))
            {
                cpuAfter = service.CpuTime();
                generatedAll = lastBelow + ((polledAt - lastBelow) / 2);
                break;
            }

            lastBelow = polledAt;
            if (status.Running && polledAt - runStarted >= TimeSpan.FromSeconds(10.5))
            {
                lowestTenSecondRate = double.IsNaN(lowestTenSecondRate) ? status.Achieved.Last10Seconds : Math.Min(lowestTenSecondRate, status.Achieved.Last10Seconds);
            }

            if (polledAt - runStarted > limit)
            {
                cpuAfter = service.CpuTime();
                await client.StopAsync(cancellationToken);
                generationProblems.Add($"not all generated within {limit.TotalSeconds:F0} s");
                break;
            }
        }

        var seconds = ((generatedAll ?? DateTimeOffset.UtcNow) - runStarted).TotalSeconds;
        var achieved = generatedAll is null ? double.NaN : events / seconds;

        // Then until the consumer has all of it, or has read everything there is to read.
        await Poll.UntilAsync(client.GeneratorAsync, s => !s.Running && s.Queued == 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), "the run's deliveries", cancellationToken);
        var statsAfter = await ReadRunAsync(client, run.RunId!, events, cancellationToken);
        var after = await client.GeneratorAsync(cancellationToken);

        var integrity = statsAfter.Run(run.RunId);
        return new Attempt(
            rate,
            achieved,
            lowestTenSecondRate,
            integrity?.Received ?? 0,
            integrity?.Missing ?? 0,
            integrity?.Duplicates ?? 0,
            statsAfter.Integrity.SkippedMessages - statsBefore.Integrity.SkippedMessages,
            statsAfter.Integrity.OffsetResets - statsBefore.Integrity.OffsetResets,
            after.SkippedEvents - before.SkippedEvents,
            after.Failed - before.Failed,
            seconds,
            (cpuAfter - cpuBefore).TotalSeconds / seconds,
            [.. generationProblems, .. Problems(events, rate, integrity, statsBefore, statsAfter, before, after, achieved)]);
    }

    /// <summary>Every way the attempt fell short of "held with zero loss".</summary>
    private static IEnumerable<string> Problems(long events, double rate, RunIntegrity? integrity, StatsSnapshot statsBefore, StatsSnapshot statsAfter, GeneratorStatus before, GeneratorStatus after, double achieved)
    {
        var received = integrity?.Received ?? 0;
        if (received != events)
        {
            yield return $"consumed {received:N0} of {events:N0}";
        }

        if (integrity is { Missing: > 0 } or { Duplicates: > 0 })
        {
            yield return $"{integrity.Missing:N0} missing, {integrity.Duplicates:N0} duplicates";
        }

        var evicted = statsAfter.Integrity.SkippedMessages - statsBefore.Integrity.SkippedMessages;
        var resets = statsAfter.Integrity.OffsetResets - statsBefore.Integrity.OffsetResets;
        if (evicted > 0 || resets > 0)
        {
            yield return $"broker evicted {evicted:N0} ({resets:N0} offset resets)";
        }

        if (after.SkippedEvents > before.SkippedEvents)
        {
            yield return $"schedule skipped {after.SkippedEvents - before.SkippedEvents:N0}";
        }

        if (after.Failed > before.Failed)
        {
            yield return $"{after.Failed - before.Failed:N0} failed deliveries";
        }

        if (!(Math.Abs(achieved - rate) <= 0.01 * rate))
        {
            yield return $"achieved {Formats.SignedPercent((achieved - rate) / rate)}";
        }
    }

    /// <summary>The stats once the run's integrity shows every event, or once the consumer has read all there is (then whatever it shows).</summary>
    private static async Task<StatsSnapshot> ReadRunAsync(ServiceClient client, string runId, long events, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var stats = await client.StatsAsync(cancellationToken);
            if (stats.Run(runId) is { } run && run.Received >= events)
            {
                return stats;
            }

            if (stats.Partitions.TotalLag == 0)
            {
                // Caught up without all of them: confirm (lag can read 0 a moment early), then report.
                return await client.WaitForConsumerAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }

            await Task.Delay(250, cancellationToken);
        }

        return await client.WaitForConsumerAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    private static double Round(double rate) => Math.Max(500, Math.Round(rate / 500) * 500);

    private sealed record Settings(int Seconds, double Start, double Factor, int Bisections, int MaxAttempts, int WarmupSeconds, string Format, bool Headers)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--seconds {Seconds} --start {Start} --factor {Factor} --bisect {Bisections} --max-attempts {MaxAttempts} --warmup {WarmupSeconds} --format {Format} --headers {(Headers ? "true" : "false")}");
    }

    private sealed record Attempt(
        double Target,
        double Achieved,
        double LowestTenSecondRate,
        long Consumed,
        long Missing,
        long Duplicates,
        long BrokerEvicted,
        long OffsetResets,
        long ScheduleSkipped,
        long Failed,
        double Seconds,
        double Cpu,
        IReadOnlyList<string> Problems)
    {
        public bool Passed => Problems.Count == 0;

        public static Attempt Broken(double rate, string reason) =>
            new(rate, double.NaN, double.NaN, 0, 0, 0, 0, 0, 0, 0, double.NaN, double.NaN, [reason]);

        public string Result => Passed ? "pass" : "fail: " + string.Join("; ", Problems);
    }
}
