using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ClickstreamApi.Api;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.IntegrationTests.Infrastructure;
using static ClickstreamApi.IntegrationTests.Fleet.FleetMembers;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>
/// Three instances as one fleet against one embedded cluster, as real processes: the first hosts the
/// cluster, the other two point at it as an external one. The fleet's rate splits by shards, a member
/// killed with SIGKILL has its shards taken over by the others, and the topic, read by a client of
/// the test's own, shows no duplicate and no gap beyond what the killed member had in flight.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class FleetTests
{
    private const int SessionTimeoutMs = 6_000;
    private const double FleetRate = 3_000;

    private static Dictionary<string, string> Settings(string member, string? bootstrapServers) => FleetMembers.Settings("fleet-test", member, bootstrapServers, SessionTimeoutMs);

    [Fact]
    public async Task A_fleet_splits_its_rate_by_shards_survives_losing_a_member_and_its_output_has_no_gap_or_duplicate()
    {
        var output = TestContext.Current.TestOutputHelper!;
        await using var host = AppProcess.Start(Settings("member-a", null));
        await host.WaitForHttpAsync();
        var hostApi = new ApiClient(host.Http);
        var kafka = await Eventually.Until(hostApi.GetKafkaAsync, k => k.TopicState == "ready", "the host's topic", TimeSpan.FromSeconds(60));
        await using var second = AppProcess.Start(Settings("member-b", kafka.BootstrapServers));
        await using var third = AppProcess.Start(Settings("member-c", kafka.BootstrapServers));
        await Task.WhenAll(second.WaitForHttpAsync(), third.WaitForHttpAsync());

        // Every member joins the group and owns some shards; together all of them.
        var formed = await Eventually.Until(() => FleetAsync(host), f => f.Members.Count == 3 && f.Totals.ShardsOwned == f.ShardCount && f.Members.All(m => m.Shards.Count > 0), "three members to share every shard", TimeSpan.FromSeconds(120));
        var shardCount = formed.ShardCount!.Value;
        Assert.Equal(64, shardCount);
        Assert.Equal(shardCount, formed.Members.SelectMany(m => m.Shards).Distinct().Count());

        using var recorder = new LiveTopicRecorder(kafka.BootstrapServers, kafka.Topic, kafka.Partitions);
        var rate = await SendAsync(second.Http, HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = FleetRate });
        var start = await SendAsync(third.Http, HttpMethod.Post, "/api/fleet/start", new { seed = 16 });
        Assert.Equal(ClickstreamApi.Fleet.FleetCommandKind.Start, start.Kind);

        // Every member applies both commands (and says so in its snapshots), and generates its share.
        await Eventually.Until(() => CommandAsync(host, start.Id), c => c is { Pending.Count: 0, Acknowledged.Count: 3 }, "every member to acknowledge the start", TimeSpan.FromSeconds(30));
        var running = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Members.Count == 3 && f.Members.All(m => m.Running && Near(m.AchievedEventsPerSecond, Share(m, shardCount), 0.3)),
            "each member to generate its share of 3,000 events/s",
            TimeSpan.FromSeconds(60));
        foreach (var member in running.Members)
        {
            output.WriteLine($"{member.Member}: {member.Shards.Count} shards, target {member.TargetEventsPerSecond:F1}/s, achieved {member.AchievedEventsPerSecond:F1}/s");
            Assert.Equal(rate.Id, (await CommandAsync(host, rate.Id))!.Id);
            Assert.Equal(Share(member, shardCount), member.TargetEventsPerSecond, 6);
        }

        Assert.Equal(FleetRate, running.Totals.TargetEventsPerSecond, 6);

        // SIGKILL: no leave, no last snapshot. Within the session time-out the group moves its shards.
        var killed = running.Members.Single(m => m.Member == "member-c");
        await third.KillAsync();
        var clock = Stopwatch.StartNew();
        var healed = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Members.Count == 2 && f.Totals.ShardsOwned == shardCount && f.Totals.TargetEventsPerSecond == FleetRate,
            "the other two members to own every shard",
            TimeSpan.FromMilliseconds((3 * SessionTimeoutMs) + 15_000));
        output.WriteLine($"shards of the killed member owned by the others {clock.Elapsed.TotalSeconds:F1} s after SIGKILL (session time-out {SessionTimeoutMs / 1000} s)");
        Assert.Contains(healed.LostMembers, m => m.Member == "member-c");
        await Eventually.Until(() => FleetAsync(host), f => f.Totals.AchievedEventsPerSecond >= FleetRate * 0.8, "the fleet's rate to be back at 3,000 events/s", TimeSpan.FromSeconds(60));

        var stop = await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/stop", null);
        await Eventually.Until(() => CommandAsync(host, stop.Id), c => c is { Pending.Count: 0, Acknowledged.Count: 2 }, "both members to acknowledge the stop", TimeSpan.FromSeconds(30));
        var stopped = await Eventually.Until(() => FleetAsync(host), f => f.Members.All(m => !m.Running && m.Queued == 0), "both members to deliver everything", TimeSpan.FromSeconds(60));
        var ends = TopicEnds.Query(kafka.BootstrapServers, kafka.Topic);
        await Eventually.Until(() => Task.FromResult(recorder.HasRead(ends)), read => read, "the test's reader to reach the topic's end", TimeSpan.FromSeconds(60));

        // The topic, as the test's own client read it: one run per member, each duplicate-free; the live
        // members' runs gap-free; the killed member's gaps are what it had in flight, counted by the fleet.
        var report = (await Eventually.Until(() => FleetAsync(host), f => f.Run?.Parts.Count == 3 && f.Run.Parts.All(p => p.SeenHere is not null), "the fleet run's three parts", TimeSpan.FromSeconds(30))).Run!;
        Assert.Equal(start.Id, report.FleetRunId);
        var events = recorder.Events;
        Assert.Equal(0, recorder.Unreadable);
        var byRun = events.GroupBy(e => e.RunId).ToDictionary(g => g.Key, g => g.Select(e => e.Seq).ToList());
        Assert.Equal(report.Parts.Select(p => p.RunId).Order(), byRun.Keys.Order());
        foreach (var part in report.Parts)
        {
            var seqs = byRun[part.RunId];
            var distinct = seqs.ToHashSet();
            var max = distinct.Max();
            var gaps = max - distinct.Count;
            output.WriteLine($"{part.Member} ({part.Status}): run {part.RunId}, {seqs.Count} events on the topic, max seq {max}, gaps {gaps}; its last snapshot: {part.RunEvents} handed over, {part.QueuedAtLastSnapshot} in flight; the host's consumer: received {part.SeenHere!.Received}, missing {part.SeenHere.Missing}");
            Assert.Equal(seqs.Count, distinct.Count);
            Assert.Equal(0, part.SeenHere.Duplicates);
            Assert.Equal(distinct.Count, part.SeenHere.Received);
            Assert.Equal(gaps, part.SeenHere.Missing);
            if (part.Member == killed.Member)
            {
                Assert.Equal("lost", part.Status);
                // Everything it had handed over by its last snapshot, less what was in flight then, is on the topic.
                Assert.True(distinct.Count >= part.RunEvents - part.QueuedAtLastSnapshot, $"{distinct.Count} on the topic, fewer than the {part.RunEvents} - {part.QueuedAtLastSnapshot} its last snapshot had delivered");
                Assert.Equal(gaps, report.LostInFlight);
            }
            else
            {
                Assert.Equal("live", part.Status);
                Assert.Equal(0, gaps);
                Assert.Equal(part.RunEvents, max);
            }
        }

        // Users never overlap: a key's events come from one member's run until its shard moves, and never
        // from a run it has moved away from (per-user order across the handover).
        foreach (var partition in events.GroupBy(e => e.Partition))
        {
            var current = new Dictionary<string, string>();
            var left = new HashSet<(string Key, string RunId)>();
            foreach (var e in partition.OrderBy(e => e.Offset))
            {
                if (current.TryGetValue(e.Key, out var run) && run != e.RunId)
                {
                    left.Add((e.Key, run));
                }

                Assert.False(left.Contains((e.Key, e.RunId)), $"user {e.Key} went back to run {e.RunId} after its shard had moved (partition {e.Partition}, offset {e.Offset})");
                current[e.Key] = e.RunId;
            }
        }

        // A user's events come from its shard's owner: the first owner, and after the kill the member that
        // took the shard over if the first owner was the killed one (the survivors keep their own shards).
        var ownerBefore = running.Members.SelectMany(m => m.Shards.Select(shard => (shard, m.Member))).ToDictionary(o => o.shard, o => o.Member);
        var ownerAfter = healed.Members.SelectMany(m => m.Shards.Select(shard => (shard, m.Member))).ToDictionary(o => o.shard, o => o.Member);
        var runOf = report.Parts.ToDictionary(p => p.RunId, p => p.Member);
        foreach (var user in events.GroupBy(e => e.Key))
        {
            var shard = UserShards.Of(System.Text.Encoding.UTF8.GetBytes(user.Key), shardCount);
            var allowed = ownerBefore[shard] == killed.Member ? new[] { killed.Member, ownerAfter[shard] } : [ownerBefore[shard]];
            Assert.Equal(ownerBefore[shard] == killed.Member ? ownerAfter[shard] : ownerBefore[shard], ownerAfter[shard]);
            var members = user.Select(e => runOf[e.RunId]).Distinct().ToList();
            Assert.True(members.All(allowed.Contains), $"user {user.Key} (shard {shard}, owned by {ownerBefore[shard]}, then {ownerAfter[shard]}) was generated by {string.Join(", ", members)}");
        }

        Assert.All(stopped.Members, m => Assert.Equal(0, m.Failed));
    }

    private static double Share(ClickstreamApi.Fleet.FleetSnapshot member, int shardCount) => FleetRate * member.Shards.Count / shardCount;

    private static bool Near(double value, double expected, double tolerance) => Math.Abs(value - expected) <= expected * tolerance;

    private static async Task<FleetCommandStatus?> CommandAsync(AppProcess member, string id)
    {
        using var response = await member.Http.GetAsync($"/api/fleet/commands/{id}", TestContext.Current.CancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<FleetCommandStatus>(ApiClient.Json, TestContext.Current.CancellationToken);
    }
}
