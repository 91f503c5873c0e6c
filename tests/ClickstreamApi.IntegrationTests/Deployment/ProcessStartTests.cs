using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>
/// The service as a newcomer runs it: its own process, Kestrel on a real port, the root
/// appsettings.json, console logs, SIGTERM to stop.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ProcessStartTests
{
    [Fact]
    public async Task A_started_process_shows_events_over_http_and_shuts_down_cleanly_on_sigterm()
    {
        Assert.True(File.Exists(Repository.AppAssembly), $"{Repository.AppAssembly} is missing; build the solution first");
        var port = FreePort();
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.AppAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // Generator defaults as users get them: auto-start at 1 event/s.
        start.Environment["Observability__SummaryIntervalSeconds"] = "0";

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var stopwatch = Stopwatch.StartNew();
            var events = await Eventually.Until(
                async () =>
                {
                    try
                    {
                        return JsonDocument.Parse(await http.GetStringAsync("/api/events/recent", TestContext.Current.CancellationToken)).RootElement.GetArrayLength();
                    }
                    catch (HttpRequestException)
                    {
                        return 0;
                    }
                },
                count => count > 0,
                "the first event over HTTP",
                TimeSpan.FromSeconds(60));
            TestContext.Current.SendDiagnosticMessage($"first event visible over HTTP after {stopwatch.ElapsedMilliseconds} ms");
            Assert.True(events > 0);

            using var swagger = await http.GetAsync("/swagger/index.html", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);

            // The dashboard is embedded, so it is there whatever the working directory.
            using var dashboard = await http.GetAsync("/", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);

            await Eventually.Until(() => Task.FromResult(Snapshot(output)), text => text.Contains(" page_view ", StringComparison.Ordinal) || text.Contains(" click ", StringComparison.Ordinal), "an event line in the console log");
        }
        finally
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }

        using var exitDeadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        exitDeadline.CancelAfter(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(exitDeadline.Token);
        var log = Snapshot(output);

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; log:\n{log}");
        Assert.Contains("Embedded Kafka cluster started", log, StringComparison.Ordinal);
        Assert.Contains("Producer flushed", log, StringComparison.Ordinal);
        Assert.Contains("Consumer stopped after", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERR]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[FTL]", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kafka__Partitions", "0", "Kafka:Partitions")]
    [InlineData("Generator__EventsPerSecond", "-1", "Generator:EventsPerSecond")]
    [InlineData("RingBuffer__Capacity", "0", "RingBuffer:Capacity")]
    [InlineData("Telemetry__KafkaStatisticsIntervalMs", "-5", "Telemetry:KafkaStatisticsIntervalMs")]
    [InlineData("Security__ApiKey", "too-short", "Security:ApiKey")]
    [InlineData("Runtime__MallocArenaMax", "lots", "Runtime:MallocArenaMax")]
    public async Task Invalid_configuration_stops_start_up_with_a_message_naming_the_key(string variable, string value, string key)
    {
        Assert.True(File.Exists(Repository.AppAssembly), $"{Repository.AppAssembly} is missing; build the solution first");

        var (exitCode, output, error) = await ExternalTool.RunAsync(
            "dotnet",
            [Repository.AppAssembly, "--urls", $"http://127.0.0.1:{FreePort()}"],
            environment: new Dictionary<string, string> { [variable] = value },
            timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, output + error, StringComparison.Ordinal);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
