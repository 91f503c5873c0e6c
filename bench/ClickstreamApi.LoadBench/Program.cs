using System.Diagnostics;
using System.Globalization;
using System.Text;
using ClickstreamApi.LoadBench;

// End-to-end benchmark harness: starts the real service (Release build, embedded Kafka), drives it
// only through its HTTP API, reads its own figures back, and prints a Markdown table.
//
//   dotnet build -c Release && dotnet run -c Release --project bench/ClickstreamApi.LoadBench -- rate
//
// Scenarios:
//   rate [--seconds N] [--rates 1,1000,10000,100000] [--no-consumer]
//       achieved vs target rate (constant profile) and the service's CPU use, per rate;
//       --no-consumer measures the generator and producer alone (Consumer:Enabled=false).
var arguments = args.ToList();
var scenario = arguments.FirstOrDefault() ?? "rate";
var seconds = Option(arguments, "--seconds", 30);
var rates = (OptionText(arguments, "--rates") ?? "1,1000,10000,100000")
    .Split(',')
    .Select(r => double.Parse(r, CultureInfo.InvariantCulture))
    .ToArray();
var assembly = OptionText(arguments, "--service") ?? FindService();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

Console.WriteLine($"# ClickstreamApi load bench: {scenario}");
Console.WriteLine($"service: {assembly}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();

switch (scenario)
{
    case "rate":
        await RateScenario.RunAsync(assembly, rates, TimeSpan.FromSeconds(seconds), arguments.Contains("--no-consumer"), cancellation.Token);
        break;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}'; known: rate");
        return 2;
}

return 0;

static int Option(List<string> arguments, string name, int fallback) =>
    OptionText(arguments, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static string? OptionText(List<string> arguments, string name)
{
    var index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
}

static string FindService()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "src", "ClickstreamApi", "bin", "Release", "net10.0", "ClickstreamApi.dll");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException("No Release build of the service; run `dotnet build -c Release` first, or pass --service PATH.");
}

/// <summary>Achieved rate against target for constant profiles, with the service's CPU use.</summary>
internal static class RateScenario
{
    public static async Task RunAsync(string assembly, double[] rates, TimeSpan window, bool noConsumer, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["Consumer__Enabled"] = noConsumer ? "false" : "true",
            ["Generator__AutoStart"] = "false",
            ["Observability__EventLogLinesPerSecond"] = "0",
            ["Observability__SummaryIntervalSeconds"] = "0",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        var table = new StringBuilder();
        Console.WriteLine(noConsumer ? "Generator and producer only (Consumer:Enabled=false)." : "Whole pipeline: generator, producer, embedded broker and consumer in one process.");
        Console.WriteLine();
        table.AppendLine("| target events/s | achieved events/s | error | events in window | window | delivered (total) | failed | skipped | service CPU (of 1 core) |");
        table.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var rate in rates)
        {
            // A fresh service per rate, so one rate's backlog cannot affect the next.
            await using var service = await ServiceProcess.StartAsync(assembly, environment, cancellationToken);
            using var client = new ServiceClient(service.BaseAddress);
            await client.PutAsync("/api/generator/rate", new { eventsPerSecond = rate }, cancellationToken);
            await client.PostAsync("/api/generator/start", null, cancellationToken);

            // Warm up: JIT, connections, consumer group, and the first second of every schedule.
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            var (startEvents, startClock, startCpu) = await Sample(client, service, cancellationToken);
            await Task.Delay(window, cancellationToken);
            var (endEvents, endClock, endCpu) = await Sample(client, service, cancellationToken);
            var status = await client.GeneratorAsync(cancellationToken);

            var elapsed = (endClock - startClock) / (double)Stopwatch.Frequency;
            var events = endEvents - startEvents;
            var achieved = events / elapsed;
            var cpu = (endCpu - startCpu).TotalSeconds / elapsed;
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {rate:N0} | {achieved:N2} | {Signed(100 * (achieved - rate) / rate)}% | {events:N0} | {elapsed:F1} s | {status.GetProperty("delivered").GetInt64():N0} | {status.GetProperty("failed").GetInt64():N0} | {status.GetProperty("skippedEvents").GetInt64():N0} | {cpu:P1} |"));
            Console.Error.WriteLine($"  rate {rate}: achieved {achieved:F2}/s, CPU {cpu:P1}");
        }

        Console.WriteLine(table);
        Console.WriteLine("Achieved = events generated in the window (runEvents from GET /api/generator) / window length measured by the client;");
        Console.WriteLine("CPU = the service process's user+system CPU time over the window / window length (100% = one core).");
    }

    private static string Signed(double percent)
    {
        var rounded = Math.Round(percent, 2);
        return (rounded >= 0 ? "+" : string.Empty) + rounded.ToString("F2", CultureInfo.InvariantCulture);
    }

    private static async Task<(long Events, long Clock, TimeSpan Cpu)> Sample(ServiceClient client, ServiceProcess service, CancellationToken cancellationToken)
    {
        // Bracket the HTTP call with the clock so the sample time is the middle of the request.
        var before = Stopwatch.GetTimestamp();
        var status = await client.GeneratorAsync(cancellationToken);
        var after = Stopwatch.GetTimestamp();
        return (status.GetProperty("runEvents").GetInt64(), (before + after) / 2, service.CpuTime());
    }
}
