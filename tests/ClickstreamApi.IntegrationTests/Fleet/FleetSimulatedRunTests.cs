using System.Globalization;
using ClickstreamApi.IntegrationTests.Infrastructure;
using static ClickstreamApi.IntegrationTests.Fleet.FleetMembers;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>
/// A simulated fleet run with two real processes: both members' runs share the fleet's clock, and a member
/// that starts while the run is under way (a restarted pod) does not run its part from startAt again.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class FleetSimulatedRunTests
{
    private static Dictionary<string, string> Settings(string member, string? bootstrapServers) => FleetMembers.Settings("simulated-test", member, bootstrapServers);

    [Fact]
    public async Task Members_share_the_fleet_s_clock_and_a_member_started_during_the_run_does_not_write_it_again()
    {
        var startAt = DateTimeOffset.Parse("2026-03-01T00:00:00Z", CultureInfo.InvariantCulture);
        await using var host = AppProcess.Start(Settings("member-a", null));
        await host.WaitForHttpAsync();
        var kafka = await Eventually.Until(new ApiClient(host.Http).GetKafkaAsync, k => k.TopicState == "ready", "the host's topic", TimeSpan.FromSeconds(60));
        var second = AppProcess.Start(Settings("member-b", kafka.BootstrapServers));
        try
        {
            await second.WaitForHttpAsync();
            await Eventually.Until(() => FleetAsync(host), f => f.Members.Count == 2 && f.Totals.ShardsOwned == f.ShardCount && f.Members.All(m => m.Shards.Count > 0), "two members to share every shard", TimeSpan.FromSeconds(120));

            await SendAsync(host.Http, HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = 200 });
            var start = await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/start", new { seed = 4, startAt, speed = 1 });
            var running = await Eventually.Until(() => FleetAsync(host), f => f.Members.Count == 2 && f.Members.All(m => m.Running && m.RunEvents > 100), "both members to run their part", TimeSpan.FromSeconds(60));
            foreach (var member in new[] { host, second })
            {
                var generator = await new ApiClient(member.Http).GetGeneratorAsync();
                Assert.Equal(startAt, generator.Clock!.StartAt);
                Assert.InRange(generator.Clock.Now, startAt, startAt.AddMinutes(5));
            }

            // member-b restarts (it leaves cleanly, a new process takes its name): the run is under way, so it stays out.
            var firstRun = running.Members.Single(m => m.Member == "member-b").RunId;
            await second.TerminateAsync();
            await second.DisposeAsync();
            second = AppProcess.Start(Settings("member-b", kafka.BootstrapServers));
            await second.WaitForHttpAsync();
            var rejoined = await Eventually.Until(
                () => FleetAsync(host),
                f => f.Members.Count == 2 && f.Totals.ShardsOwned == f.ShardCount && f.Members.Single(m => m.Member == "member-b") is { Shards.Count: > 0, CommandsApplied: > 0 },
                "the restarted member-b to own shards again",
                TimeSpan.FromSeconds(120));
            var restarted = rejoined.Members.Single(m => m.Member == "member-b");
            Assert.False(restarted.Running);
            Assert.NotEqual(firstRun, restarted.RunId);
            Assert.Equal(start.Id, rejoined.State!.RunId);
            Assert.True((await new ApiClient(host.Http).GetGeneratorAsync()).Running);
            await Eventually.Until(() => Task.FromResult(second.Output), o => o.Contains("does not take part", StringComparison.Ordinal), "member-b to say why it stays out");

            // The next start is joined again.
            await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/stop", null);
            var next = await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/start", new { seed = 5 });
            await Eventually.Until(() => FleetAsync(host), f => f.Members.Count == 2 && f.Members.All(m => m.Running && m.LastCommandId == next.Id), "both members to run the next fleet run", TimeSpan.FromSeconds(60));
            await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/stop", null);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
