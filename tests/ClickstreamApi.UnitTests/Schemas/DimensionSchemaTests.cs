using System.Text.Json;
using System.Text.Json.Nodes;
using ClickstreamApi.Events;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Json.Schema;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.UnitTests.Schemas;

/// <summary>
/// The dimension rows as the generator writes them obey schemas/user.schema.json and
/// schemas/product.schema.json, and the Avro schemas declare the same fields in the same order.
/// </summary>
public sealed class DimensionSchemaTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_row_of_a_runs_start_and_of_its_changes_is_valid_against_the_json_schemas()
    {
        var users = JsonSchema.FromText(DimensionSchemas.UserJsonSchema);
        var products = JsonSchema.FromText(DimensionSchemas.ProductJsonSchema);
        var options = new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List, RequireFormatValidation = true };
        var topics = new DimensionTopics(Options.Create(new KafkaOptions()), Options.Create(new DimensionOptions()));
        using var encoder = new JsonDimensionEncoder();
        var dimensions = new RunDimensions(new ClickSimulator(500, 0.02, seed: 3), encoder, topics, new DimensionRates(1_000, 1_000, 100), 3, Start, "run");

        var messages = dimensions.Snapshot().ToList();
        while (dimensions.NextChangeAt < Start.AddHours(1))
        {
            if (dimensions.TakeChange() is { } change)
            {
                messages.Add(change);
            }
        }

        Assert.Equal(500 + ClickSimulator.CrawlerIdentities, messages.Count(m => m.Kind == DimensionMessageKind.User));
        Assert.Equal(Catalog.ProductCount, messages.Count(m => m.Kind == DimensionMessageKind.Product));
        Assert.Contains(messages, m => m.Kind == DimensionMessageKind.Deletion);
        foreach (var message in messages.Where(m => m.Value is not null))
        {
            var node = JsonNode.Parse(message.Value);
            var result = (message.Topic == topics.Users ? users : products).Evaluate(node, options);
            Assert.True(result.IsValid, $"{node!.ToJsonString()}: {string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")))}");
            Assert.Equal(message.Timestamp, DateTimeOffset.Parse(node!["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(System.Text.Encoding.UTF8.GetString(message.Key), node[message.Topic == topics.Users ? "userId" : "productId"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_avro_and_json_schemas_declare_the_fields_the_json_writer_writes_in_its_order()
    {
        using var serializer = new DimensionRecordSerializer();
        var user = Names(serializer.Write(new UserRecord("1", "mobile", "ua", "US", "USD", "new", false, Start, Start)));
        var product = Names(serializer.Write(new ProductRecord("1", "Name 100", "books", 9.99m, "USD", Start)));

        Assert.Equal(user, DimensionSchemas.UserAvroRecord.Fields.Select(f => f.Name));
        Assert.Equal(product, DimensionSchemas.ProductAvroRecord.Fields.Select(f => f.Name));
        Assert.Equal(user, JsonNode.Parse(DimensionSchemas.UserJsonSchema)!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(product, JsonNode.Parse(DimensionSchemas.ProductJsonSchema)!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(("clickstream.User", "clickstream.Product"), DimensionSchemas.RecordNames(ClickstreamApi.Schemas.OutputFormat.Avro));
        Assert.Equal(("User", "Product"), DimensionSchemas.RecordNames(ClickstreamApi.Schemas.OutputFormat.JsonSchema));
    }

    private static List<string> Names(ReadOnlySpan<byte> json) =>
        [.. JsonDocument.Parse(json.ToArray()).RootElement.EnumerateObject().Select(p => p.Name)];
}
