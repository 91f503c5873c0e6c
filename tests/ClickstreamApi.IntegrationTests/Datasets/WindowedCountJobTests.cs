using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Datasets;

/// <summary>
/// The tutorial's stream job (docs/examples/windowed_count_job.py, a confluent-kafka Python consumer
/// that counts pages in 15 s event-time windows) tested against the truth, as a user would: it
/// matches the truth plus the injected duplicates when it reads at least once, the truth alone when
/// it drops repeated eventIds, and fails when its windows are not the truth's.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class WindowedCountJobTests(KestrelAppFactory factory) : IClassFixture<KestrelAppFactory>
{
    private static readonly string Job = Repository.File("docs", "examples", "windowed_count_job.py");

    [Fact]
    public async Task The_tutorial_job_matches_the_truth_in_both_delivery_modes_and_fails_on_wrong_windows()
    {
        var python = ExternalTool.PythonWith("confluent_kafka", "python3-confluent-kafka");
        var api = new ApiClient(factory.CreateSocketClient());
        await api.SetRateAsync(20);
        await api.SetFaultsAsync(new { duplicate = 0.03, late = 0.05, lateMaxSeconds = 40, malformed = 0.01 });
        var run = await api.CompleteRunAsync(new { seed = 314, startAt = "2026-11-06T18:00:00Z", asFastAsPossible = true, maxEvents = 6_000 });
        var kafka = await api.GetKafkaAsync();
        string[] common = ["--bootstrap", kafka.BootstrapServers, "--api", factory.BaseAddress.ToString(), "--topic", kafka.Topic, "--run", run.RunId!];

        var atLeastOnce = await ExternalTool.RunAsync(python, [Job, .. common], timeout: TimeSpan.FromMinutes(2));
        Assert.True(atLeastOnce.ExitCode == 0, atLeastOnce.Output + atLeastOnce.Error);
        Assert.Contains("0 differ", atLeastOnce.Output, StringComparison.Ordinal);
        Assert.Contains("at-least-once", atLeastOnce.Output, StringComparison.Ordinal);

        var exactlyOnce = await ExternalTool.RunAsync(python, [Job, .. common, "--dedupe"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(exactlyOnce.ExitCode == 0, exactlyOnce.Output + exactlyOnce.Error);

        // Ten-second windows are not the truth's fifteen: the test of the job must say so.
        var wrong = await ExternalTool.RunAsync(python, [Job, .. common, "--window", "10"], timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("differs", wrong.Output, StringComparison.Ordinal);
        await api.SetFaultsAsync(new { });
    }
}
