using System.Diagnostics;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Scenarios;
using ClickstreamApi.LoadBench.Tools;

// End-to-end benchmark harness: starts the real service (Release build, embedded Kafka), drives it
// only through its HTTP API and outside tools (kcat, wrk, the exercise's Python scripts), reads its
// figures back, and prints one Markdown section per scenario (also saved under bench/results/).
//
//   dotnet build -c Release
//   dotnet run -c Release --project bench/ClickstreamApi.LoadBench -- all             every scenario (about 27 min)
//   dotnet run -c Release --project bench/ClickstreamApi.LoadBench -- smoke           all of them shortened (under a minute)
//   dotnet run -c Release --project bench/ClickstreamApi.LoadBench -- <scenario> [options]
IScenario[] scenarios =
[
    new ThroughputScenario(),
    new CpuScenario(),
    new ProducerScenario(),
    new PeersScenario(),
    new LatencyScenario(),
    new HttpScenario(),
    new MemoryScenario(),
    new StartupScenario(),
    new RateScenario(),
    new BackfillScenario(),
    new FleetScenario(),
];

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine(Usage(scenarios));
    return args.Length == 0 ? 2 : 0;
}

var name = args[0];
var smoke = name == "smoke";
var selected = name switch
{
    "all" => scenarios.Where(s => s.InAll).ToArray(),
    "smoke" => scenarios,
    _ => scenarios.Where(s => s.Name == name).ToArray(),
};
if (selected.Length == 0)
{
    Console.Error.WriteLine($"unknown scenario '{name}'");
    Console.Error.WriteLine(Usage(scenarios));
    return 2;
}

// Options: --service and --results for every command; a scenario's own options only when it runs alone.
BenchArguments options;
PreparedScenario[] prepared;
string service;
string results;
try
{
    options = BenchArguments.Parse(args[1..]);
    service = options.Text("--service") ?? Repository.ReleaseService();
    // Read before the check for unknown options below, which would otherwise refuse it.
    results = options.Text("--results") ?? Path.Combine(Repository.Root, "bench", "results");
    var scenarioOptions = selected.Length == 1 ? options : BenchArguments.Empty;
    prepared = selected.Select(s => s.Prepare(scenarioOptions, smoke)).ToArray();
    if (options.Unread.Any())
    {
        throw new ArgumentException($"unknown option(s) for '{name}': {string.Join(", ", options.Unread)}");
    }
}
catch (Exception exception) when (exception is ArgumentException or FormatException or FileNotFoundException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(Usage(scenarios));
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

const string Invocation = "dotnet run -c Release --project bench/ClickstreamApi.LoadBench --";
var command = $"{Invocation} {string.Join(' ', args)}";
var file = Path.Combine(results, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}.md");
using var report = new Report(file, command, service);
var tools = await ToolBox.FindAsync(cancellation.Token);

report.Line($"# ClickstreamApi load bench: {name}");
report.Line();
report.Line($"- service: `{service}`");
report.Line($"- outside tools: {Describe("kcat", tools.Kcat)}; {Describe("wrk", tools.Wrk)}; {Describe("python3 + confluent_kafka", tools.Python)}");
if (smoke)
{
    report.Line("- **smoke run**: every scenario shortened to prove the harness works; the numbers mean little.");
}

report.Line();

var context = new BenchContext(service, report, tools);
var failed = new List<string>();
var started = Stopwatch.GetTimestamp();
for (var i = 0; i < selected.Length; i++)
{
    var scenario = selected[i];
    report.Heading(scenario.Name, scenario.Title, $"{Invocation} {scenario.Name} {prepared[i].Arguments}");
    var scenarioStarted = Stopwatch.GetTimestamp();
    try
    {
        await prepared[i].RunAsync(context, cancellation.Token);
    }
    catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
    {
        report.Line("**Cancelled.**");
        return 130;
    }
    catch (Exception exception) when (exception is not OutOfMemoryException)
    {
        // One broken scenario must not hide the others' results; the exit code reports it.
        failed.Add(scenario.Name);
        report.Line($"**The scenario failed: {exception.GetType().Name}: {exception.Message}**");
        report.Line();
        Console.Error.WriteLine(exception);
    }

    Progress.Write($"{scenario.Name} took {Stopwatch.GetElapsedTime(scenarioStarted).TotalMinutes:F1} min");
}

report.Line($"Total time: {Stopwatch.GetElapsedTime(started).TotalMinutes:F1} min. " + (failed.Count == 0 ? "Every scenario ran." : $"Failed: {string.Join(", ", failed)}."));
Progress.Write($"results written to {report.FilePath}");
return failed.Count == 0 ? 0 : 1;

static string Describe(string what, Tool? tool) => tool is null ? $"{what} not installed" : $"{tool.Version} ({tool.Path})";

static string Usage(IEnumerable<IScenario> scenarios)
{
    var lines = new List<string>
    {
        "usage: dotnet run -c Release --project bench/ClickstreamApi.LoadBench -- <command> [options]",
        "  (after `dotnet build -c Release`; every command takes --service PATH and --results DIR)",
        "",
        "  all                    every scenario below except rate, with its defaults",
        "  smoke                  every scenario, shortened (under a minute; for CI, numbers not judged)",
    };
    lines.AddRange(scenarios.Select(s => $"  {s.Name,-22} {s.Title}\n  {string.Empty,-22} {s.Usage}"));
    return string.Join(Environment.NewLine, lines);
}
