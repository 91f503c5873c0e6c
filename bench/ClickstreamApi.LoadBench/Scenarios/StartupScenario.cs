using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.LoadBench.Harness;
using ClickstreamApi.LoadBench.Measuring;
using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Service;

namespace ClickstreamApi.LoadBench.Scenarios;

/// <summary>From starting the process to ready, and to the first click visible through the API, as a user runs it.</summary>
internal sealed class StartupScenario : IScenario
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly Settings Defaults = new(Runs: 5);
    private static readonly Settings SmokeSettings = new(Runs: 1);

    public string Name => "startup";

    public string Title => "process start to ready and to the first event visible";

    public string Usage => "[--runs 5]";

    public bool InAll => true;

    public PreparedScenario Prepare(BenchArguments arguments, bool smoke)
    {
        var settings = smoke ? SmokeSettings : new Settings(arguments.Int("--runs", Defaults.Runs));
        return new PreparedScenario(settings.ToArguments(), (context, token) => RunAsync(context, settings, token));
    }

    private static async Task RunAsync(BenchContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ready = new List<double>();
        var firstEvent = new List<double>();
        var liveWithoutKafka = new List<double>();
        for (var i = 0; i < settings.Runs; i++)
        {
            // As shipped: the generator starts with the service at 1 event/s.
            await using var service = ServiceProcess.Launch(context.ServiceAssembly, ServiceSettings.Bench(("Generator__AutoStart", "true")));
            using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var readyTask = SecondsUntilAsync(service, () => IsReadyAsync(http, cancellationToken), cancellationToken);
            var eventTask = SecondsUntilAsync(service, () => HasEventAsync(http, cancellationToken), cancellationToken);
            ready.Add(await readyTask);
            firstEvent.Add(await eventTask);
            await using (var unreachable = ServiceProcess.Launch(context.ServiceAssembly, ServiceSettings.Bench(("Generator__AutoStart", "true"), ("Kafka__BootstrapServers", $"127.0.0.1:{ClosedPort()}"))))
            {
                using var unreachableHttp = new HttpClient { BaseAddress = unreachable.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                liveWithoutKafka.Add(await SecondsUntilAsync(unreachable, () => IsLiveAsync(unreachableHttp, cancellationToken), cancellationToken));
            }

            Progress.Write($"startup: run {i + 1}: ready after {ready[^1]:F3} s, first event after {firstEvent[^1]:F3} s, live without Kafka after {liveWithoutKafka[^1]:F3} s");
        }

        var table = new MarkdownTable(["from process start to", "runs", "min", "median", "max", "each run"], leftAligned: 5);
        Add(table, "GET /health/ready answers 200", ready);
        Add(table, "the first event in GET /api/events/recent", firstEvent);
        Add(table, "GET /health/live answers 200, Kafka unreachable", liveWithoutKafka);
        context.Report.Table(table);
        context.Report.Notes([
            "Each run starts a new process as a user would (`dotnet ClickstreamApi.dll --urls http://127.0.0.1:<free port>`, Release build, embedded Kafka, Generator:AutoStart=true at the default 1 event/s) and polls both URLs every 10 ms from the moment it is launched (connection refused until Kestrel listens); a time is taken at the first 200, and the first non-empty array, respectively. The clock starts just before Process.Start, so the `dotnet` host's own start-up is included; resolution about 10 ms.",
            "The first event needs: the embedded cluster and topic, the producer, the generator's first event, its delivery, the consumer's group join and partition assignment, and one fetch.",
            "Kafka unreachable: a second process per run with `Kafka__BootstrapServers=127.0.0.1:<a port nothing listens on>`; HTTP does not wait for Kafka (issue 11: it used to answer nothing for 20 s and more).",
        ]);
    }

    private static void Add(MarkdownTable table, string what, List<double> seconds) =>
        table.Add(
            what,
            seconds.Count.ToString(CultureInfo.InvariantCulture),
            Formats.Seconds(seconds.Min()),
            Formats.Seconds(Statistics.Median(seconds)),
            Formats.Seconds(seconds.Max()),
            string.Join(", ", seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture))));

    /// <summary>Seconds from the process's launch to the first time <paramref name="condition"/> holds.</summary>
    private static async Task<double> SecondsUntilAsync(ServiceProcess service, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(60);
        while (Stopwatch.GetElapsedTime(service.LaunchedAt) < limit)
        {
            try
            {
                if (await condition())
                {
                    return Stopwatch.GetElapsedTime(service.LaunchedAt).TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new TimeoutException($"the service was not there within {limit.TotalSeconds:F0} s of its start");
    }

    private static async Task<bool> IsLiveAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>A loopback port nothing listens on (bound for a moment, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private static async Task<bool> HasEventAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/api/events/recent?limit=1", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var events = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return events.ValueKind == JsonValueKind.Array && events.GetArrayLength() > 0;
    }

    private sealed record Settings(int Runs)
    {
        public string ToArguments() => string.Create(CultureInfo.InvariantCulture, $"--runs {Runs}");
    }
}
