using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Schemas;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.IntegrationTests.Generation;

/// <summary>
/// Dimension rows in JSON Schema: framed with the id of the schema registered under the subject of
/// the topic-record strategy, then the same JSON as the json format.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class DimensionRegistryFormatTests(TopicRecordSubjectsAppFactory factory) : IClassFixture<TopicRecordSubjectsAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_json_schema_run_frames_its_rows_with_the_ids_of_the_user_and_product_schemas()
    {
        var run = await _api.CompleteRunAsync(new { maxEvents = 200, seed = 17, startAt = "2026-03-04T09:00:00Z", asFastAsPossible = true, format = "json-schema" });
        var kafka = await _api.GetKafkaAsync();
        var dimensions = run.Dimensions!;
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = kafka.SchemaRegistry.Url });
        var users = await registry.GetLatestSchemaAsync("user_clickstream_users-User");
        var products = await registry.GetLatestSchemaAsync("user_clickstream_products-Product");
        Assert.Equal(SchemaType.Json, users.SchemaType);
        Assert.Equal(SchemaType.Json, products.SchemaType);

        var records = TopicReader.ReadAll(kafka.BootstrapServers, [dimensions.UsersTopic, dimensions.ProductsTopic]).Where(r => r.RunId == run.RunId).ToList();
        Assert.Equal(dimensions.Users + dimensions.Products + dimensions.UserChanges + dimensions.PriceChanges + dimensions.Deletions, records.Count);
        foreach (var record in records.Where(r => r.Value is not null))
        {
            Assert.True(WireFormat.IsFramed(record.Value), record.Topic);
            Assert.Equal(record.Topic == dimensions.UsersTopic ? users.Id : products.Id, WireFormat.SchemaId(record.Value));
            var row = JsonDocument.Parse(record.Value.AsMemory(WireFormat.HeaderLength)).RootElement;
            Assert.Equal(record.Key, row.GetProperty(record.Topic == dimensions.UsersTopic ? "userId" : "productId").GetString());
        }
    }
}
