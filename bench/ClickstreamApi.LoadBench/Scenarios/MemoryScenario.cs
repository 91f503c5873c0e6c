using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>Resident memory idle and under a sustained load, and whether it keeps growing.</summary>
internal sealed class MemoryScenario : IScenario
{
    private static readonly Settings Defaults = new(Minutes: 5, Rate: 50_000, Capacity: 100_000, IntervalSeconds: 10);
    private static readonly Settings SmokeSettings = new(Minutes: 0.05, Rate: 5_000, Capacity: 100_000, IntervalSeconds: 1);

    public string Name => "memory";

    public string Title => "resident memory (RSS) idle and under sustained load";

    public string Usage => "[--minutes 5] [--rate 50000] [--capacity 100000] [--interval 10]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke
            ? SmokeSettings
            : new Settings(
                arguments.Double("--minutes", Defaults.Minutes),
                arguments.Double("--rate", Defaults.Rate),
                arguments.Int("--capacity", Defaults.Capacity),
                arguments.Int("--interval", Defaults.IntervalSeconds));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(
            context.ServiceAssembly,
            ServiceSettings.Bench(("RingBuffer__Capacity", settings.Capacity.ToString(CultureInfo.InvariantCulture))),
            cancellationToken);
        using var client = new ServiceClient(service.BaseAddress);
        var ready = service.ResidentMebibytes();
        // Idle a moment after ready, so start-up's last allocations are in (2 s; less in a short run).
        var settle = TimeSpan.FromSeconds(Math.Min(2, settings.Minutes * 60 / 6));
        await Task.Delay(settle, cancellationToken);
        var idle = service.ResidentMebibytes();

        await client.SetRateAsync(settings.Rate, cancellationToken);
        var before = await client.GeneratorAsync(cancellationToken);
        var statsBefore = await client.StatsAsync(cancellationToken);
        var run = await client.StartAsync(null, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var duration = TimeSpan.FromMinutes(settings.Minutes);
        var samples = new List<(double Seconds, double Mebibytes)> { (0, service.ResidentMebibytes()) };
        var nextProgress = 60.0;
        for (var next = settings.IntervalSeconds; next <= duration.TotalSeconds + 0.001; next += settings.IntervalSeconds)
        {
            var wait = TimeSpan.FromSeconds(next) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
            samples.Add((at, service.ResidentMebibytes()));
            if (at >= nextProgress)
            {
                Progress.Write($"memory: {at / 60:F0} min, RSS {samples[^1].Mebibytes:F1} MiB");
                nextProgress += 60;
            }
        }

        var after = await client.GeneratorAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await client.StopAsync(cancellationToken);
        // Events still in flight at the stop would count as missing until they arrive.
        await Poll.UntilAsync(client.GeneratorAsync, s => s.Queued == 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "the last deliveries", cancellationToken);
        var stats = await client.WaitForConsumerAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var integrity = stats.Run(run.RunId);

        // The slope over the last four minutes (or, in a shorter run, all of it).
        var slopeFrom = Math.Max(0, duration.TotalSeconds - 240);
        var slopePoints = samples.Where(s => s.Seconds >= slopeFrom - 0.5).Select(s => (s.Seconds / 60, s.Mebibytes)).ToList();
        var (slope, slopeError) = Statistics.Slope(slopePoints);
        var atOneMinute = duration.TotalSeconds >= 60 ? samples.MinBy(s => Math.Abs(s.Seconds - 60)).Mebibytes : double.NaN;

        var table = new MarkdownTable(["ring buffer capacity", "rate (target / achieved)", "duration", "RSS ready", "RSS idle (start)", "RSS at 1 min", "RSS at end", "RSS max", "slope, last " + Formats.Number((duration.TotalSeconds - slopeFrom) / 60, "0.##") + " min", "skipped / failed / missing / broker-evicted"]);
        table.Add(
            Formats.Count(settings.Capacity),
            $"{Formats.Rate(settings.Rate)} / {Formats.Rate((after.RunEvents - before.RunEvents) / elapsed)}",
            Formats.Seconds(elapsed),
            Formats.Mebibytes(ready) + " MiB",
            Formats.Mebibytes(idle) + " MiB",
            Formats.Mebibytes(atOneMinute) + (double.IsNaN(atOneMinute) ? string.Empty : " MiB"),
            Formats.Mebibytes(samples[^1].Mebibytes) + " MiB",
            Formats.Mebibytes(samples.Max(s => s.Mebibytes)) + " MiB",
            $"{Formats.Number(slope, "+0.00;-0.00")} ± {Formats.Number(slopeError, "0.00")} MiB/min",
            $"{after.SkippedEvents - before.SkippedEvents:N0} / {after.Failed - before.Failed:N0} / {integrity?.Missing ?? 0:N0} / {stats.Integrity.SkippedMessages - statsBefore.Integrity.SkippedMessages:N0}");
        context.Report.Table(table);

        var series = new MarkdownTable(["t (s)", "RSS (MiB)"]);
        foreach (var (seconds, mebibytes) in samples)
        {
            series.Add(Formats.Number(seconds, "F0"), Formats.Mebibytes(mebibytes));
        }

        context.Report.Line("Samples:");
        context.Report.Line();
        context.Report.Table(series);
        context.Report.Notes([
            $"A fresh service with RingBuffer:Capacity={settings.Capacity:N0} (everything else as shipped); RSS = VmRSS from /proc/<pid>/status (MiB = 2^20 bytes). \"ready\" is read when /health/ready first answers 200, \"idle\" {settle.TotalSeconds:0.#} s later; then `PUT /api/generator/rate` {settings.Rate:N0} (constant), `POST /api/generator/start`, and a sample every {settings.IntervalSeconds} s for {settings.Minutes.ToString(CultureInfo.InvariantCulture)} min (t = 0 right after the start).",
            "Slope = least-squares line through the samples of the last 4 minutes (from t = 1 min in a 5-minute run), in MiB per minute, ± its standard error (RSS swings with every garbage collection, so a slope within about two standard errors of zero is no evidence of growth); near zero once the ring buffer is full and the GC has settled; a steady positive slope well outside its error would be a leak.",
            "Skipped / failed / missing / broker-evicted over the run tell whether the service actually held the rate while it was measured.",
        ]);
    }

    private sealed record Settings(double Minutes, double Rate, int Capacity, int IntervalSeconds)
    {
        public string ToArguments() => string.Create(CultureInfo.InvariantCulture, $"--minutes {Minutes} --rate {Rate} --capacity {Capacity} --interval {IntervalSeconds}");
    }
}
