using System.Text.RegularExpressions;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>
/// A consumer that dies or stops in the middle of a run and comes back with the same group: what its
/// earlier life read is before its join point, never missing. The consumer is the service as its own
/// process, against the embedded cluster of an in-process instance that keeps generating.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed partial class RestartIntegrityTests(ClickstreamAppFactory host) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _host = new(host.CreateClient());

    [Theory]
    [InlineData("SIGKILL")]
    [InlineData("SIGTERM")]
    public async Task A_consumer_restarted_mid_run_reports_what_its_earlier_life_read_as_before_join_never_as_missing(string signal)
    {
        var kafka = await _host.GetKafkaAsync();
        var settings = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__Consumer__group.id"] = $"restart-{signal}-{Guid.NewGuid():N}",
            // Commits every second, so the first life has committed before it is killed.
            ["Kafka__Consumer__auto.commit.interval.ms"] = "1000",
            ["Generator__AutoStart"] = "false",
            ["Observability__EventLogLinesPerSecond"] = "0",
        };
        await _host.StopAsync();
        await _host.SetRateAsync(300);
        var run = await _host.StartAsync();
        var runId = run.RunId!;

        long firstLife;
        string firstLifeLog;
        await using (var first = AppProcess.Start(settings))
        {
            var api = new ApiClient(first.Http);
            await first.WaitForHttpAsync();
            firstLife = (await Eventually.Until(() => RunReconciliation.CurrentAsync(api, runId), r => r?.Received >= 1_500, "the first life to read 1,500 events of the run", TimeSpan.FromSeconds(60)))!.Received;
            // Killed before its first commit, it would start over from the beginning: no join to test.
            await Eventually.Until(() => Task.FromResult(TopicEnds.CommittedTotal(kafka.BootstrapServers, kafka.Topic, settings["Kafka__Consumer__group.id"])), committed => committed > 0, "the first life to commit offsets");
            if (signal == "SIGKILL")
            {
                await first.KillAsync();
            }
            else
            {
                await first.TerminateAsync();
                Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the first life did not exit after SIGTERM");
            }

            firstLifeLog = first.Output;
        }

        await using var second = AppProcess.Start(settings);
        var secondApi = new ApiClient(second.Http);
        await second.WaitForHttpAsync();
        await Eventually.Until(() => RunReconciliation.CurrentAsync(secondApi, runId), r => r is not null, "the second life to see the run", TimeSpan.FromSeconds(60));
        var stopped = await _host.StopAsync();
        var total = (await Eventually.Until(_host.GetGeneratorAsync, s => s.Queued == 0, "the host to deliver the whole run")).RunEvents;
        var seen = await RunReconciliation.AwaitAsync(secondApi, runId, total);

        var stoppedLine = ConsumerStopped().Match(firstLifeLog);
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"restart figures ({signal}): run of {total}; first life read at least {firstLife}"
            + (stoppedLine.Success ? $" ({stoppedLine.Groups[1].Value} at its clean stop)" : string.Empty)
            + $"; second life: received {seen.Received}, before join {seen.BeforeJoin}, missing {seen.Missing}, duplicates {seen.Duplicates}, max seq {seen.MaxSeq}");
        Assert.Equal(stopped.RunId, runId);
        Assert.Equal(total, seen.MaxSeq);
        Assert.Equal(0, seen.Missing);
        Assert.Equal(0, seen.Duplicates);
        Assert.True(seen.BeforeJoin > 0, "the second life joined mid-run: some seqs must lie before its join point");
        Assert.Equal(total, seen.Received + seen.BeforeJoin);
        if (signal == "SIGTERM")
        {
            // A clean stop commits everything read: nothing the first life read is read again.
            Assert.True(stoppedLine.Success, "no 'Consumer stopped after' line from the first life");
            Assert.True(seen.BeforeJoin <= long.Parse(stoppedLine.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Consumer stopped after (\d+) events")]
    private static partial Regex ConsumerStopped();
}
