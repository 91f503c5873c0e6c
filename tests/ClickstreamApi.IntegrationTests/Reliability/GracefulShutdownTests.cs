using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>SIGTERM while the generator runs at 50,000 events a second, on the service as its own process.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed partial class GracefulShutdownTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_at_50000_events_per_second_accounts_for_every_event_and_exits_within_10_seconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Generator__AutoStart"] = "false",
            ["Observability__SummaryIntervalSeconds"] = "0",
            ["Observability__EventLogLinesPerSecond"] = "0",
        });
        await app.WaitForHttpAsync();
        await Eventually.Until(async () => (await app.Http.GetAsync("/health/ready", ct)).IsSuccessStatusCode, ready => ready, "the process to be ready", TimeSpan.FromSeconds(60));
        (await app.Http.PutAsJsonAsync("/api/generator/rate", new { eventsPerSecond = 50_000 }, ct)).EnsureSuccessStatusCode();
        (await app.Http.PostAsync("/api/generator/start", null, ct)).EnsureSuccessStatusCode();
        var before = await Eventually.Until(
            async () => await app.Http.GetFromJsonAsync<JsonElement>("/api/generator", ct),
            s => s.GetProperty("produced").GetInt64() >= 50_000,
            "the generator to hand over 50,000 events");

        var clock = Stopwatch.StartNew();
        await app.TerminateAsync();
        var exited = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var exitTime = clock.Elapsed;
        var log = app.Output;

        var flushed = Flushed().Match(log);
        Assert.True(exited, $"the process did not exit within 60 s of SIGTERM; log tail:\n{Tail(log)}");
        Assert.True(flushed.Success, $"no 'Producer flushed' line; log tail:\n{Tail(log)}");
        long Number(string name) => long.Parse(flushed.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
        var (produced, delivered, failed, remaining) = (Number("produced"), Number("delivered"), Number("failed"), Number("remaining"));
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"shutdown figures: {before.GetProperty("produced").GetInt64()} handed over when SIGTERM was sent; at the flush {produced} handed over, "
            + $"{delivered} delivered, {failed} failed, {remaining} still queued; exit code {app.ExitCode} after {exitTime.TotalSeconds:F1} s");
        Assert.Equal(produced, delivered + failed + remaining);
        if (remaining > 0)
        {
            Assert.Contains($"{remaining} event(s) were still queued at shutdown and are counted as failed", log, StringComparison.Ordinal);
        }

        Assert.Equal(0, app.ExitCode);
        Assert.True(exitTime < ExitDeadline, $"exit took {exitTime.TotalSeconds:F1} s");
    }

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;

    [GeneratedRegex(@"Producer flushed: (?<produced>\d+) handed over, (?<delivered>\d+) delivered, (?<failed>\d+) failed, (?<remaining>\d+) still queued")]
    private static partial Regex Flushed();
}
