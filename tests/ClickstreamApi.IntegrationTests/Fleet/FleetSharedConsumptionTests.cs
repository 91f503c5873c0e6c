using ClickstreamApi.IntegrationTests.Infrastructure;
using static ClickstreamApi.IntegrationTests.Fleet.FleetMembers;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>
/// Two fleet members as real processes whose consumers share one consumer group (Fleet:ShareConsumerGroup):
/// each reads some partitions, and GET /api/fleet adds their snapshots up into the analytics and integrity of
/// the whole stream. The test's own Confluent.Kafka reader of the whole topic is the truth they are held to.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class FleetSharedConsumptionTests
{
    private const int SessionTimeoutMs = 6_000;
    private const string FleetName = "shared-test";

    private static Dictionary<string, string> Settings(string member, string? bootstrapServers)
    {
        var settings = FleetMembers.Settings(FleetName, member, bootstrapServers, SessionTimeoutMs);
        settings["Fleet__ShareConsumerGroup"] = "true";
        return settings;
    }

    [Fact]
    public async Task Members_sharing_a_consumer_group_add_up_to_the_stream_s_analytics_and_integrity()
    {
        var output = TestContext.Current.TestOutputHelper!;
        await using var host = AppProcess.Start(Settings("member-a", null));
        await host.WaitForHttpAsync();
        var kafka = await Eventually.Until(new ApiClient(host.Http).GetKafkaAsync, k => k.TopicState == "ready", "the host's topic", TimeSpan.FromSeconds(60));
        await using var second = AppProcess.Start(Settings("member-b", kafka.BootstrapServers));
        await second.WaitForHttpAsync();

        // Both consumers in the fleet's group, each with some of the partitions, together all of them.
        var group = "clickstream-fleet-" + FleetName + "-consumers";
        var formed = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Members.Count == 2 && f.Members.All(m => m.Shards.Count > 0 && m.Consumption is { Partitions.Count: > 0 })
                && f.Analytics is { Members.Count: 2 } a && a.PartitionsCovered == a.TopicPartitions,
            "both members' consumers to share the topic's partitions",
            TimeSpan.FromSeconds(120));
        Assert.Equal(group, formed.Analytics!.ConsumerGroup);
        Assert.Equal(0, formed.Analytics.MembersInOtherGroups);
        var a = formed.Members[0].Consumption!;
        var b = formed.Members[1].Consumption!;
        Assert.Empty(a.Partitions.Intersect(b.Partitions));
        Assert.Equal(kafka.Partitions, a.Partitions.Count + b.Partitions.Count);
        output.WriteLine($"partitions: {formed.Members[0].Member} {string.Join(",", a.Partitions)}; {formed.Members[1].Member} {string.Join(",", b.Partitions)}");

        using var recorder = new LiveTopicRecorder(kafka.BootstrapServers, kafka.Topic, kafka.Partitions);
        await SendAsync(host.Http, HttpMethod.Put, "/api/fleet/rate", new { eventsPerSecond = 1_000 });
        var start = await SendAsync(second.Http, HttpMethod.Post, "/api/fleet/start", new { seed = 7 });
        // While it runs, the two consumers' rates add up to the fleet's (each reads about half).
        var running = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Members.All(m => m.Running && m.RunEvents > 3_000) && f.Analytics!.Rates.Overall.Last1s is >= 700 and <= 1_300,
            "both members to make 3,000 events each, consumed at about 1,000/s between them",
            TimeSpan.FromSeconds(60));
        Assert.All(running.Members, m => Assert.InRange(m.Consumption!.Rates.Overall.Last1s, 1, running.Analytics!.Rates.Overall.Last1s - 1));
        var stop = await SendAsync(host.Http, HttpMethod.Post, "/api/fleet/stop", null);
        await Eventually.Until(() => FleetAsync(host), f => f.State!.LastCommandId == stop.Id && f.Members.All(m => !m.Running && m.Queued == 0 && m.LastCommandId == stop.Id), "both members to stop and deliver everything", TimeSpan.FromSeconds(60));
        var ends = TopicEnds.Query(kafka.BootstrapServers, kafka.Topic);
        await Eventually.Until(() => Task.FromResult(recorder.HasRead(ends)), read => read, "the test's reader to reach the topic's end", TimeSpan.FromSeconds(60));
        var events = recorder.Events;
        Assert.Equal(0, recorder.Unreadable);
        Assert.Equal(ends.Values.Sum(), events.Count);

        // Once both members' snapshots have caught up with their consumers, the sums are the topic's.
        var fleet = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Analytics is { } m && m.Consumed == events.Count && m.Latency.SinceStart.Count == events.Count,
            $"the merged consumers to have read all {events.Count} events",
            TimeSpan.FromSeconds(60));
        var analytics = fleet.Analytics!;
        var users = events.Select(e => e.UserId).Distinct().Count();
        output.WriteLine($"{events.Count} events, {users} users on the topic; merged: consumed {analytics.Consumed}, active users {analytics.ActiveUsers.Last5m} (5 min), latency p50 {analytics.Latency.SinceStart.P50} ms p99 {analytics.Latency.SinceStart.P99} ms, top page {analytics.TopPages.Last5m.Top[0]} (at most {analytics.TopPages.Last5m.MaxUndercount} short)");
        foreach (var member in fleet.Members)
        {
            var own = member.Consumption!;
            output.WriteLine($"{member.Member}: consumed {own.Consumed} of partitions {string.Join(",", own.Partitions)}");
            Assert.InRange(own.Consumed, 1, events.Count - 1);
        }

        // Distinct users: the merged registers estimate the union within the sketch's error (4 standard errors).
        Assert.InRange(analytics.ActiveUsers.Last5m, users * (1 - (4 * analytics.ActiveUsers.StandardError)), users * (1 + (4 * analytics.ActiveUsers.StandardError)));

        // Pages over the last five minutes: the total exact, every listed count at most maxUndercount short of the truth.
        var pages = events.GroupBy(e => e.Page!).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(events.Count, analytics.TopPages.Last5m.Total);
        Assert.NotEmpty(analytics.TopPages.Last5m.Top);
        foreach (var page in analytics.TopPages.Last5m.Top)
        {
            Assert.InRange(pages[page.Page], page.Count, page.Count + analytics.TopPages.Last5m.MaxUndercount);
        }

        // Event-time windows: each merged window's total is the topic's count of events that occurred in it.
        Assert.NotEmpty(analytics.Windows);
        foreach (var window in analytics.Windows)
        {
            var truth = events.Count(e => e.OccurredAt >= window.Start && e.OccurredAt < window.End);
            Assert.Equal(truth, window.Total);
            foreach (var page in window.TopPages)
            {
                var count = events.Count(e => e.Page == page.Page && e.OccurredAt >= window.Start && e.OccurredAt < window.End);
                Assert.InRange(count, page.Count, page.Count + window.MaxUndercount);
            }
        }

        // Integrity: neither consumer saw a whole run, their sum does, with no gap and no duplicate.
        var run = fleet.Run!;
        Assert.Equal(start.Id, run.FleetRunId);
        Assert.Equal("consumer group " + group, run.SeenBy);
        var byRun = events.GroupBy(e => e.RunId).ToDictionary(g => g.Key, g => g.Select(e => e.Seq).ToHashSet());
        Assert.Equal(2, run.Parts.Count);
        foreach (var part in run.Parts)
        {
            var seen = part.SeenByGroup!;
            output.WriteLine($"{part.Member}: run {part.RunId}, {byRun[part.RunId].Count} on the topic; the group: received {seen.Received}, missing {seen.Missing}, by {string.Join(", ", seen.Consumers)}; this member alone: {part.SeenHere?.Received}");
            Assert.Equal(byRun[part.RunId].Count, seen.Received);
            Assert.Equal(byRun[part.RunId].Max(), seen.MaxSeq);
            Assert.Equal(0, seen.Missing);
            Assert.Equal(0, seen.Duplicates);
            Assert.Equal(2, seen.Consumers.Count);
            Assert.True(part.SeenHere is null || part.SeenHere.Received < seen.Received);
        }

        Assert.Equal(0, run.Missing);
        Assert.Equal(0, run.LostInFlight);
        Assert.Equal(events.Count, run.Received);

        // A consumer lost with its member: what it read after its last snapshot is unknown, so no gap is claimed.
        await second.KillAsync();
        var lost = await Eventually.Until(() => FleetAsync(host), f => f.LostMembers.Any(m => m.Member == "member-b"), "member-b to be lost", TimeSpan.FromMilliseconds((3 * SessionTimeoutMs) + 15_000));
        Assert.Null(lost.Run!.Missing);
        Assert.All(lost.Run.Parts, p => Assert.Contains("member-b", p.SeenByGroup!.Unproven, StringComparison.Ordinal));
        Assert.Equal(["member-a"], lost.Analytics!.Members);
    }

    [Fact]
    public async Task A_member_whose_consumer_gets_no_partition_is_ready_and_adds_nothing()
    {
        // One partition, two consumers in the group: the second has none and waits to take it over.
        var hostSettings = Settings("member-a", null);
        hostSettings["Kafka__Partitions"] = "1";
        await using var host = AppProcess.Start(hostSettings);
        await host.WaitForHttpAsync();
        var kafka = await Eventually.Until(new ApiClient(host.Http).GetKafkaAsync, k => k.TopicState == "ready", "the host's topic", TimeSpan.FromSeconds(60));
        await using var second = AppProcess.Start(Settings("member-b", kafka.BootstrapServers));
        await second.WaitForHttpAsync();

        // Both ready once the group has settled: the one without a partition too, saying why (during a
        // rebalance both may briefly be without it, and both are still ready: each is in the group).
        await Eventually.Until(
            () => Task.WhenAll(ReadyAsync(host), ReadyAsync(second)),
            r => r.All(x => x.Ready) && r.Count(x => x.Body.Contains("no partition", StringComparison.Ordinal)) == 1 && r.Count(x => x.Body.Contains("the consumer has partitions", StringComparison.Ordinal)) == 1,
            "both members to be ready, one with the partition and one without",
            TimeSpan.FromSeconds(120));

        var fleet = await Eventually.Until(
            () => FleetAsync(host),
            f => f.Analytics is { Members.Count: 2, PartitionsCovered: 1, TopicPartitions: 1 } && f.Members.Count(m => m.Consumption?.Partitions.Count == 0) == 1,
            "both members' consumers in the group, one partition between them",
            TimeSpan.FromSeconds(60));
        Assert.Equal(2, fleet.Members.Count);
    }

    private static async Task<(bool Ready, string Body)> ReadyAsync(AppProcess member)
    {
        using var response = await member.Http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
