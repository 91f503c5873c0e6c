using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClickstreamApi.Analytics;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Analytics;

/// <summary>Snapshots go to HTTP readers as JSON: they must serialize, source-generated, in camelCase.</summary>
public sealed partial class SnapshotJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_snapshot_serializes_in_camel_case_with_source_generated_metadata()
    {
        var rates = new EventRateWindows(T0);
        rates.Record("click", T0 + TimeSpan.FromSeconds(1.5));
        var pages = new TopPages();
        pages.Record("/home", T0);
        var users = new ActiveUsers();
        users.Record("42", T0);
        var windows = new TumblingWindows();
        windows.Record("/home", T0, T0);
        var latency = new LatencyHistogram();
        latency.Record(T0, T0 + TimeSpan.FromMilliseconds(12));
        var fromScheduled = new LatencyHistogram();
        fromScheduled.Record(T0 - TimeSpan.FromMilliseconds(3), T0 + TimeSpan.FromMilliseconds(12));
        var integrity = new RunIntegrity(new FakeTimeProvider(T0));
        integrity.Record("run-a", 1);
        var now = T0 + TimeSpan.FromSeconds(2);

        var json = new JsonObject
        {
            ["rates"] = Serialize(rates.Snapshot(now), SnapshotJson.Default.EventRatesSnapshot),
            ["pages"] = Serialize(pages.Snapshot(now, 5), SnapshotJson.Default.TopPagesSnapshot),
            ["users"] = Serialize(users.Snapshot(now), SnapshotJson.Default.ActiveUsersSnapshot),
            ["windows"] = Serialize(windows.Snapshot(5, 5), SnapshotJson.Default.TumblingWindowsSnapshot),
            ["latency"] = Serialize(EndToEndLatency.Of(latency.Snapshot(now), fromScheduled.Snapshot(now), 4), SnapshotJson.Default.EndToEndLatency),
            ["integrity"] = Serialize(integrity.Snapshot(), SnapshotJson.Default.RunIntegritySnapshot),
        };

        Assert.Equal(1, json["rates"]!["overall"]!["last1s"]!.GetValue<double>());
        Assert.Equal(0.5, json["rates"]!["byType"]!["click"]!["last60s"]!.GetValue<double>());
        Assert.Equal("/home", json["pages"]!["last5m"]!["top"]![0]!["page"]!.GetValue<string>());
        Assert.Equal(1, json["users"]!["last5m"]!.GetValue<long>());
        Assert.Equal(T0, json["windows"]!["windows"]![0]!["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(12, json["latency"]!["last60s"]!["p999"]!.GetValue<double>(), 1);
        Assert.Equal(15, json["latency"]!["fromScheduled"]!["last60s"]!["p999"]!.GetValue<double>(), 1);
        Assert.Equal(4, json["latency"]!["withoutScheduledTime"]!.GetValue<long>());
        Assert.Equal("run-a", json["integrity"]!["runs"]![0]!["runId"]!.GetValue<string>());
        Assert.Equal(0, json["integrity"]!["runs"]![0]!["missing"]!.GetValue<long>());
    }

    private static JsonNode Serialize<T>(T snapshot, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonNode.Parse(JsonSerializer.Serialize(snapshot, typeInfo))!;

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(EventRatesSnapshot))]
    [JsonSerializable(typeof(TopPagesSnapshot))]
    [JsonSerializable(typeof(ActiveUsersSnapshot))]
    [JsonSerializable(typeof(TumblingWindowsSnapshot))]
    [JsonSerializable(typeof(EndToEndLatency))]
    [JsonSerializable(typeof(RunIntegritySnapshot))]
    internal sealed partial class SnapshotJson : JsonSerializerContext;
}
