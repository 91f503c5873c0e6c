using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Kafka;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>
/// Behaviour that needs a cluster outliving or shared by instances: the test owns an embedded
/// cluster and the service reaches it as an external one.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class GroupAndEvictionTests
{
    [Fact]
    public async Task Messages_evicted_before_the_consumer_read_them_are_counted_exactly()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 6);
        using var app = new ConfiguredAppFactory(Settings(cluster, "evictions"));
        var api = new ApiClient(app.CreateClient());
        await Eventually.Until(() => api.Http.GetAsync("/health/ready", TestContext.Current.CancellationToken), r => r.IsSuccessStatusCode, "the service to be ready");

        // Far more than the embedded broker keeps per partition (about 5 MiB), as fast as a producer
        // can, for several seconds: the consumer falls behind, the broker drops what it has not read
        // yet, and the consumer must skip ahead (counting) rather than stall while the flood goes on.
        var template = $$"""{"eventId":"{{Guid.NewGuid()}}","runId":"flood","userId":"u","eventType":"page_view","page":"/flood","occurredAt":"{{DateTime.UtcNow:O}}","seq":""";
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20, BatchNumMessages = 10_000, QueueBufferingMaxMessages = 1_000_000 };
        using var flooding = new CancellationTokenSource();
        var flood = Task.Run(() =>
        {
            using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
            var seq = 0;
            while (!flooding.IsCancellationRequested || seq < 600_000)
            {
                var value = Encoding.UTF8.GetBytes(string.Concat(template, (++seq).ToString(System.Globalization.CultureInfo.InvariantCulture), "}"));
                while (true)
                {
                    try
                    {
                        producer.Produce("user_clickstream", new Message<Null, byte[]> { Value = value });
                        break;
                    }
                    catch (ProduceException<Null, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
            return seq;
        });

        // Once the consumer is behind (it has skipped), it must keep reading while the flood goes on.
        var skippedDuringFlood = await Eventually.Until(() => Skipped(api), n => n > 0, "the consumer to fall behind the flood and skip");
        var consumedThen = await Consumed(api);
        await Eventually.Until(() => Consumed(api), n => n > consumedThen + 1000, "the consumer to keep reading during the flood");
        flooding.Cancel();
        var total = await flood;
        Assert.True(skippedDuringFlood > 0);

        // Every message is either consumed or counted as skipped, exactly; and the run's view by seq agrees:
        // what it did not receive is what was skipped.
        var stats = await Eventually.Until(
            async () => (await api.GetJsonAsync("/api/stats")).Body,
            s => Flood(s) is { } r
                && s.GetProperty("consumer").GetProperty("consumed").GetInt64() + s.GetProperty("integrity").GetProperty("skippedMessages").GetInt64() == total
                && r.GetProperty("received").GetInt64() == s.GetProperty("consumer").GetProperty("consumed").GetInt64(),
            "every message consumed or counted as skipped",
            TimeSpan.FromSeconds(120));

        var integrity = stats.GetProperty("integrity");
        var skipped = integrity.GetProperty("skippedMessages").GetInt64();
        var floodRun = Flood(stats)!.Value;
        Assert.True(skipped > 0, "the broker should have evicted messages the consumer had not read");
        Assert.True(integrity.GetProperty("offsetResets").GetInt64() > 0);
        Assert.Equal(total - skipped, floodRun.GetProperty("received").GetInt64());
        // Seqs above the highest one received were skipped too; the run counts the rest as missing.
        Assert.Equal(skipped, floodRun.GetProperty("missing").GetInt64() + (total - floodRun.GetProperty("maxSeq").GetInt64()));
        Assert.Equal(0, floodRun.GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task Instances_in_their_own_groups_each_read_every_partition()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 4);
        // No group.id: each instance derives its own from host and port.
        var first = Settings(cluster, groupId: null);
        first["urls"] = "http://127.0.0.1:5101";
        var second = Settings(cluster, groupId: null);
        second["urls"] = "http://127.0.0.1:5102";
        using var a = new ConfiguredAppFactory(first);
        using var b = new ConfiguredAppFactory(second);
        var apiA = new ApiClient(a.CreateClient());
        var apiB = new ApiClient(b.CreateClient());

        var groupA = (await apiA.GetKafkaAsync()).ConsumerGroup;
        var groupB = (await apiB.GetKafkaAsync()).ConsumerGroup;
        Assert.NotEqual(groupA, groupB);
        await Eventually.Until(() => Assigned(apiA), n => n == 4, "instance A to read all 4 partitions");
        await Eventually.Until(() => Assigned(apiB), n => n == 4, "instance B to read all 4 partitions");
    }

    [Fact]
    public async Task Instances_sharing_a_group_split_the_partitions_and_the_rebalance_is_visible()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 4);
        using var a = new ConfiguredAppFactory(Settings(cluster, "shared"));
        var apiA = new ApiClient(a.CreateClient());
        await Eventually.Until(() => Assigned(apiA), n => n == 4, "the first instance to take all 4 partitions");

        using var b = new ConfiguredAppFactory(Settings(cluster, "shared"));
        var apiB = new ApiClient(b.CreateClient());

        await Eventually.Until(
            async () => (await Assigned(apiA), await Assigned(apiB)),
            n => n.Item1 + n.Item2 == 4 && n.Item1 > 0 && n.Item2 > 0,
            "the two instances to split the partitions",
            TimeSpan.FromSeconds(60));
        var consumerA = (await apiA.GetJsonAsync("/api/stats")).Body.GetProperty("consumer");
        Assert.True(consumerA.GetProperty("revocations").GetInt64() >= 1);
        Assert.True(consumerA.GetProperty("assignments").GetInt64() >= 2);
    }

    private static Dictionary<string, string?> Settings(EmbeddedKafkaCluster cluster, string? groupId)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:AdminTimeoutSeconds"] = "2",
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
        };
        if (groupId is not null)
        {
            settings["Kafka:Consumer:group.id"] = groupId;
        }

        return settings;
    }

    private static async Task<long> Skipped(ApiClient api) =>
        (await api.GetJsonAsync("/api/stats")).Body.GetProperty("integrity").GetProperty("skippedMessages").GetInt64();

    private static async Task<long> Consumed(ApiClient api) =>
        (await api.GetJsonAsync("/api/stats")).Body.GetProperty("consumer").GetProperty("consumed").GetInt64();

    private static async Task<int> Assigned(ApiClient api) =>
        (await api.GetJsonAsync("/api/stats")).Body.GetProperty("partitions").GetProperty("assigned").GetInt32();

    private static JsonElement? Flood(JsonElement stats) =>
        stats.GetProperty("integrity").GetProperty("runs").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("runId").GetString() == "flood");
}
