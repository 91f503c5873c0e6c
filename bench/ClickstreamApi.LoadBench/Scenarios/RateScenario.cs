using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>Achieved rate against target for constant profiles, with the service's CPU use.</summary>
internal sealed class RateScenario : IScenario
{
    private static readonly Settings Defaults = new(Rates: [1, 1_000, 10_000, 100_000], Seconds: 30, WarmupSeconds: 5, NoConsumer: false);
    private static readonly Settings SmokeSettings = new(Rates: [1_000], Seconds: 1, WarmupSeconds: 1, NoConsumer: false);

    public string Name => "rate";

    public string Title => "achieved rate against target, and CPU";

    public string Usage => "[--rates 1,1000,10000,100000] [--seconds 30] [--warmup 5] [--no-consumer]";

    // Not part of `all`: `throughput` asks the harder question (the highest rate held with nothing lost).
    public bool InAll => false;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Doubles("--rates", Defaults.Rates),
                arguments.Int("--seconds", Defaults.Seconds),
                arguments.Int("--warmup", Defaults.WarmupSeconds),
                arguments.Flag("--no-consumer"));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var environment = ServiceSettings.Bench(("Consumer__Enabled", settings.NoConsumer ? "false" : "true"));
        context.Report.Line(settings.NoConsumer ? "Generator and producer only (Consumer:Enabled=false)." : "Whole pipeline: generator, producer, embedded broker and consumer in one process.");
        context.Report.Line();
        var table = new MarkdownTable(["target events/s", "achieved events/s", "error", "events in window", "window", "delivered (total)", "failed", "skipped", "service CPU (of 1 core)"]);
        foreach (var rate in settings.Rates)
        {
            // A fresh service per rate, so one rate's backlog cannot affect the next.
            await using var service = await ServiceProcess.StartAsync(context.ServiceAssembly, environment, cancellationToken);
            using var client = new ServiceClient(service.BaseAddress);
            await client.SetRateAsync(rate, cancellationToken);
            await client.StartAsync(null, cancellationToken);

            // Warm up: JIT, connections, consumer group, and the first second of every schedule.
            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);
            var (startEvents, startClock, startCpu) = await SampleAsync(client, service, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
            var (endEvents, endClock, endCpu) = await SampleAsync(client, service, cancellationToken);
            var status = await client.GeneratorAsync(cancellationToken);

            var elapsed = (endClock - startClock) / (double)Stopwatch.Frequency;
            var events = endEvents - startEvents;
            var achieved = events / elapsed;
            var cpu = (endCpu - startCpu).TotalSeconds / elapsed;
            table.Add(
                Formats.Rate(rate),
                Formats.Rate(achieved),
                Formats.SignedPercent((achieved - rate) / rate),
                Formats.Count(events),
                Formats.Seconds(elapsed),
                Formats.Count(status.Delivered),
                Formats.Count(status.Failed),
                Formats.Count(status.SkippedEvents),
                Formats.Percent(cpu));
            Progress.Write($"rate: {rate:N0}/s achieved {achieved:F2}/s, CPU {cpu:P1}");
        }

        context.Report.Table(table);
        context.Report.Notes([
            $"Per rate: a fresh service, `PUT /api/generator/rate` (constant), `POST /api/generator/start`, {settings.WarmupSeconds} s warm-up, then a {settings.Seconds} s window.",
            "Achieved = events generated in the window (`runEvents` from GET /api/generator at both ends) / window length measured by the client (each sample time is the middle of its request).",
            "CPU = the service process's user+system CPU time over the window / window length (100% = one core).",
        ]);
    }

    private static async Task<(long Events, long Clock, TimeSpan Cpu)> SampleAsync(ServiceClient client, ServiceProcess service, CancellationToken cancellationToken)
    {
        // Bracket the HTTP call with the clock so the sample time is the middle of the request.
        var before = Stopwatch.GetTimestamp();
        var status = await client.GeneratorAsync(cancellationToken);
        var after = Stopwatch.GetTimestamp();
        return (status.RunEvents, (before + after) / 2, service.CpuTime());
    }

    private sealed record Settings(IReadOnlyList<double> Rates, int Seconds, int WarmupSeconds, bool NoConsumer)
    {
        public string ToArguments() => string.Create(
            CultureInfo.InvariantCulture,
            $"--rates {string.Join(',', Rates.Select(r => r.ToString(CultureInfo.InvariantCulture)))} --seconds {Seconds} --warmup {WarmupSeconds}{(NoConsumer ? " --no-consumer" : string.Empty)}");
    }
}
