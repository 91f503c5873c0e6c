using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace ClickstreamApi.IntegrationTests.Generation;

/// <summary>
/// The users and products topics, read as a stream-table join reads them: a bounded simulated run
/// with many price changes, user changes and deletions, all three topics read back with a
/// Confluent.Kafka consumer of the test's own and replayed in timestamp order, changes upserted into
/// (and tombstones deleted from) tables. No click may be an orphan.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class DimensionTopicsTests(DimensionChangesAppFactory factory) : IClassFixture<DimensionChangesAppFactory>
{
    private const int Events = 6_000;

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Every_click_joins_to_its_user_and_products_and_no_deleted_user_clicks_again()
    {
        await _api.SetRateAsync(10);
        var run = await _api.CompleteRunAsync(new { maxEvents = Events, seed = 14, startAt = "2026-03-01T09:00:00Z", asFastAsPossible = true });
        var kafka = await _api.GetKafkaAsync();
        var dimensions = run.Dimensions!;
        Assert.Equal([dimensions.UsersTopic, dimensions.ProductsTopic], kafka.DimensionTopics);
        Assert.Equal(("user_clickstream_users", "user_clickstream_products"), (dimensions.UsersTopic, dimensions.ProductsTopic));
        Assert.All(kafka.DimensionTopics!, topic => Assert.Equal(kafka.Partitions, TopicEnds.Query(kafka.BootstrapServers, topic).Count));
        Assert.Null(dimensions.Problem);
        Assert.Equal(2_000 + 20, dimensions.Users);
        Assert.Equal(2_000, dimensions.Products);
        Assert.True(dimensions.PriceChanges > 500, $"{dimensions.PriceChanges} price changes");
        Assert.True(dimensions.UserChanges > 500, $"{dimensions.UserChanges} user changes");
        Assert.True(dimensions.Deletions > 20, $"{dimensions.Deletions} deletions");

        // Other tests of this class write runs of their own to the same topics: the run-id header tells them apart.
        var records = TopicReader.ReadAll(kafka.BootstrapServers, [kafka.Topic, dimensions.UsersTopic, dimensions.ProductsTopic])
            .Where(r => r.RunId == run.RunId).ToList();
        var userRows = records.Where(r => r.Topic == dimensions.UsersTopic).ToList();
        var productRows = records.Where(r => r.Topic == dimensions.ProductsTopic).ToList();
        Assert.Equal(dimensions.Users + dimensions.UserChanges + dimensions.Deletions, userRows.Count);
        Assert.Equal(dimensions.Deletions, userRows.Count(r => r.Value is null));
        Assert.Equal(dimensions.Products + dimensions.PriceChanges, productRows.Count);
        var start = DateTimeOffset.Parse("2026-03-01T09:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.All(userRows.Take(2_020).Concat(productRows.Take(2_000)), r => Assert.True(r.TimestampMs >= start));

        // The replay: by timestamp, tables before streams at the same millisecond (a row stamped t applies to a click at t).
        var users = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var products = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var deletedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        var clicks = 0;
        var pricedCarts = 0;
        var unchangedClicks = 0;
        var orphans = new List<string>();
        foreach (var record in records.OrderBy(r => r.TimestampMs).ThenBy(r => r.Topic == kafka.Topic ? 1 : 0).ThenBy(r => r.Offset))
        {
            if (record.Topic == dimensions.UsersTopic)
            {
                if (record.Value is null)
                {
                    users.Remove(record.Key!);
                    deletedAt[record.Key!] = record.TimestampMs;
                }
                else
                {
                    var row = JsonDocument.Parse(record.Value).RootElement.Clone();
                    Assert.Equal(record.Key, row.GetProperty("userId").GetString());
                    Assert.Equal(record.TimestampMs, DateTimeOffset.Parse(row.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
                    users[record.Key!] = row;
                }

                continue;
            }

            if (record.Topic == dimensions.ProductsTopic)
            {
                var row = JsonDocument.Parse(record.Value!).RootElement.Clone();
                Assert.Equal(record.Key, row.GetProperty("productId").GetString());
                Assert.Equal("USD", row.GetProperty("currency").GetString());
                products[record.Key!] = row;
                continue;
            }

            var click = JsonDocument.Parse(record.Value!).RootElement;
            Assert.Equal(run.RunId, click.GetProperty("runId").GetString());
            clicks++;
            var userId = click.GetProperty("userId").GetString()!;
            var seq = click.GetProperty("seq").GetInt64();
            if (deletedAt.TryGetValue(userId, out var deleted))
            {
                orphans.Add($"seq {seq}: user {userId} clicked at {record.TimestampMs}, after the account's tombstone at {deleted}");
            }
            else if (!users.TryGetValue(userId, out var user))
            {
                orphans.Add($"seq {seq}: user {userId} is not in the users table");
            }
            else if (DateTimeOffset.Parse(user.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() == start)
            {
                // A user who never changed clicks with the attributes of the row: one declaration of who the user is.
                Assert.Equal(
                    (user.GetProperty("device").GetString(), user.GetProperty("userAgent").GetString(), user.GetProperty("country").GetString()),
                    (click.GetProperty("device").GetString(), click.GetProperty("userAgent").GetString(), click.GetProperty("country").GetString()));
                unchangedClicks++;
            }

            var productIds = new List<string>();
            if (click.TryGetProperty("productId", out var productId) && productId.ValueKind == JsonValueKind.String)
            {
                productIds.Add(productId.GetString()!);
            }

            if (click.TryGetProperty("productIds", out var cart) && cart.ValueKind == JsonValueKind.Array)
            {
                productIds.AddRange(cart.EnumerateArray().Select(p => p.GetString()!));
            }

            orphans.AddRange(productIds.Where(p => !products.ContainsKey(p)).Select(p => $"seq {seq}: product {p} is not in the products table"));

            // The shop charges the price the table holds at the click's time (USD carts: no conversion).
            if (click.GetProperty("eventType").GetString() == "add_to_cart" && click.GetProperty("currency").GetString() == "USD")
            {
                var price = products[click.GetProperty("productId").GetString()!].GetProperty("price").GetDecimal();
                Assert.Equal(price * click.GetProperty("quantity").GetInt32(), click.GetProperty("amount").GetDecimal());
                pricedCarts++;
            }
        }

        Assert.Equal(Events, clicks);
        Assert.True(orphans.Count == 0, $"{orphans.Count} orphan(s):\n{string.Join('\n', orphans.Take(20))}");
        Assert.True(unchangedClicks > Events / 4, $"only {unchangedClicks} clicks of users who never changed");
        Assert.True(pricedCarts > 10, $"only {pricedCarts} add_to_cart events in USD to check prices with");
        Assert.Equal(dimensions.Deletions, deletedAt.Count);
    }

    [Fact]
    public async Task An_avro_run_writes_its_rows_under_the_topic_subjects_and_confluents_deserializer_reads_them()
    {
        await _api.SetRateAsync(10);
        var run = await _api.CompleteRunAsync(new { maxEvents = 500, seed = 15, startAt = "2026-03-02T09:00:00Z", asFastAsPossible = true, format = "avro" });
        var kafka = await _api.GetKafkaAsync();
        var dimensions = run.Dimensions!;

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = kafka.SchemaRegistry.Url });
        var subjects = await registry.GetAllSubjectsAsync();
        Assert.Contains("user_clickstream_users-value", subjects);
        Assert.Contains("user_clickstream_products-value", subjects);
        var deserializer = new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync();
        var records = TopicReader.ReadAll(kafka.BootstrapServers, [dimensions.UsersTopic, dimensions.ProductsTopic]).Where(r => r.RunId == run.RunId).ToList();
        var users = 0;
        var products = 0;
        foreach (var record in records.Where(r => r.Value is not null))
        {
            var row = deserializer.Deserialize(record.Value, false, new SerializationContext(MessageComponentType.Value, record.Topic));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(record.TimestampMs).UtcDateTime, ((DateTime)row["updatedAt"]).ToUniversalTime());
            if (record.Topic == dimensions.UsersTopic)
            {
                Assert.Equal(record.Key, (string)row["userId"]);
                Assert.Equal(record.Key!.StartsWith("crawler-", StringComparison.Ordinal), (bool)row["bot"]);
                users++;
            }
            else
            {
                Assert.Equal(record.Key, (string)row["productId"]);
                Assert.Equal("USD", (string)row["currency"]);
                var price = Avro.AvroDecimal.ToDecimal((Avro.AvroDecimal)row["price"]);
                Assert.True(price > 0 && decimal.Round(price, 2) == price, $"price {price}");
                products++;
            }
        }

        Assert.Equal(dimensions.Users + dimensions.UserChanges, users);
        Assert.Equal(dimensions.Products + dimensions.PriceChanges, products);
        Assert.Equal(dimensions.Deletions, records.Count(r => r.Value is null));
    }

    [Fact]
    public async Task Late_events_at_the_start_of_a_run_still_join_to_their_users()
    {
        // Half the events up to 60 s late in a run of one simulated minute: many fall before the run's start.
        await _api.SetRateAsync(10);
        await _api.SetFaultsAsync(new { late = 0.5, lateMaxSeconds = 60 });
        var run = await _api.CompleteRunAsync(new { maxEvents = 600, seed = 16, startAt = "2026-03-02T10:00:00Z", asFastAsPossible = true });
        await _api.SetFaultsAsync(new { });
        var kafka = await _api.GetKafkaAsync();
        var usersTopic = run.Dimensions!.UsersTopic;

        var records = TopicReader.ReadAll(kafka.BootstrapServers, [kafka.Topic, usersTopic]).Where(r => r.RunId == run.RunId).ToList();
        var start = DateTimeOffset.Parse("2026-03-02T10:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var rowAt = records.Where(r => r.Topic == usersTopic && r.Value is not null)
            .GroupBy(r => r.Key!)
            .ToDictionary(g => g.Key, g => g.Min(r => r.TimestampMs), StringComparer.Ordinal);
        var clicks = records.Where(r => r.Topic == kafka.Topic).ToList();

        Assert.Equal(600, clicks.Count);
        Assert.Contains(clicks, c => c.TimestampMs < start);
        Assert.All(clicks, c => Assert.True(
            rowAt.TryGetValue(c.Key!, out var at) && at <= c.TimestampMs,
            $"the click of user {c.Key} at {c.TimestampMs} has no user row before it"));
    }

    [Fact]
    public async Task A_simulated_run_writes_the_same_dimension_rows_and_events_in_two_fresh_instances()
    {
        var topics = new List<IReadOnlyList<(string, int, long, string?, string, long)>>();
        foreach (var _ in new[] { 1, 2 })
        {
            await using var instance = new DimensionChangesAppFactory();
            var api = new ApiClient(instance.CreateClient());
            await api.SetRateAsync(20);
            var run = await api.CompleteRunAsync(new { maxEvents = 2_000, seed = 16, startAt = "2026-03-03T09:00:00Z", asFastAsPossible = true });
            var kafka = await api.GetKafkaAsync();
            Assert.True(run.Dimensions!.Deletions > 0 && run.Dimensions.PriceChanges > 0);
            topics.Add([.. TopicReader.ReadAll(kafka.BootstrapServers, [kafka.Topic, .. kafka.DimensionTopics!])
                .Select(r => (r.Topic, r.Partition, r.Offset, r.Key, r.Value is null ? "(tombstone)" : Convert.ToHexString(r.Value), r.TimestampMs))
                .OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition).ThenBy(r => r.Offset)]);
        }

        Assert.True(topics[0].Count > 6_000, $"{topics[0].Count} messages");
        Assert.Equal(topics[0], topics[1]);
    }

    [Fact]
    public async Task With_dimensions_off_no_dimension_topic_is_created_or_written()
    {
        await using var instance = new ConfiguredAppFactory(new() { ["Dimensions:Enabled"] = "false" });
        var api = new ApiClient(instance.CreateClient());
        var run = await api.CompleteRunAsync(new { maxEvents = 50, seed = 18, startAt = "2026-03-05T09:00:00Z", asFastAsPossible = true });
        var kafka = await api.GetKafkaAsync();

        Assert.Null(run.Dimensions);
        Assert.Empty(kafka.DimensionTopics!);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic.StartsWith("user_clickstream_", StringComparison.Ordinal) && !t.Error.IsError);
    }
}
