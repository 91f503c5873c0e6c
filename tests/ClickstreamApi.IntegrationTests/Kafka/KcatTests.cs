using ClickstreamApi.Events;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Kafka;

/// <summary>kcat, the usual Kafka command-line tool, works against the embedded cluster. Needs kcat.</summary>
public sealed class KcatTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Kcat_lists_the_topic_at_the_bootstrap_address_from_the_api()
    {
        var kcat = ExternalTool.Require("kcat", "apt-get install kcat");
        var kafka = await _api.GetKafkaAsync();

        var (exitCode, output, error) = await ExternalTool.RunAsync(kcat, ["-b", kafka.BootstrapServers, "-L", "-t", kafka.Topic]);

        Assert.True(exitCode == 0, error);
        Assert.Contains($"topic \"{kafka.Topic}\" with {kafka.Partitions} partitions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kcat_reads_the_generated_events()
    {
        var kcat = ExternalTool.Require("kcat", "apt-get install kcat");
        var kafka = await _api.GetKafkaAsync();
        await _api.SetRateAsync(100);
        var run = await _api.StartAsync();
        await Eventually.Until(() => _api.GetGeneratorAsync(), s => s.Delivered >= run.Produced + 20, "20 delivered events");
        await _api.StopAsync();

        var (exitCode, output, error) = await ExternalTool.RunAsync(
            kcat,
            ["-b", kafka.BootstrapServers, "-C", "-t", kafka.Topic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"]);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Keyed messages are the generator's; other tests in this class write unkeyed lines.
        var events = lines.Select(line => line.Split('\t', 2)).Where(parts => parts[0].Length > 0).ToList();
        Assert.True(events.Count >= 20, $"kcat read {events.Count} keyed messages");
        foreach (var parts in events)
        {
            Assert.True(ClickEventReader.TryRead(System.Text.Encoding.UTF8.GetBytes(parts[1]), out var clickEvent, out var rejection), rejection.Detail);
            // Keyed by user id, so one user's events share a partition and stay in order.
            Assert.Equal(clickEvent.UserId, parts[0]);
        }
    }

    [Fact]
    public async Task A_line_written_with_kcat_that_is_not_an_event_is_rejected()
    {
        var kcat = ExternalTool.Require("kcat", "apt-get install kcat");
        var kafka = await _api.GetKafkaAsync();
        var marker = Guid.NewGuid().ToString("N");

        var (exitCode, _, error) = await ExternalTool.RunAsync(kcat, ["-b", kafka.BootstrapServers, "-P", "-t", kafka.Topic], input: $"hello from kcat {marker}\n");

        Assert.True(exitCode == 0, error);
        await Eventually.Until(
            () => _api.GetRejectedAsync(),
            r => r.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("preview").GetString()!.Contains(marker, StringComparison.Ordinal)),
            "the kcat line in rejected");
    }
}
