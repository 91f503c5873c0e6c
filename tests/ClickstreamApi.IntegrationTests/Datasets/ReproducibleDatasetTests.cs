using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Datasets;

/// <summary>
/// Two fresh instances, each with its own embedded cluster, given the same seed, start and number
/// of events, write the same topic: every message's partition, offset, key, value, headers and
/// timestamp, byte for byte, faults included. A different seed writes a different topic, so the
/// comparison can fail.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ReproducibleDatasetTests
{
    private static readonly object Run = new
    {
        seed = 2026,
        startAt = "2026-11-02T08:00:00Z",
        asFastAsPossible = true,
        maxEvents = 3_000,
    };

    [Fact]
    public async Task The_same_seed_start_and_events_write_byte_identical_topics_on_two_fresh_instances()
    {
        var first = await WriteAsync(Run, format: "json");
        var second = await WriteAsync(Run, format: "json");

        // Malformed copies and duplicates make the topic longer than the run.
        Assert.True(first.Count > 3_000, $"{first.Count} messages");
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            AssertSame(first[i], second[i]);
        }
    }

    [Fact]
    public async Task Avro_through_each_instance_s_own_registry_is_byte_identical_too()
    {
        var first = await WriteAsync(Run, format: "avro");
        var second = await WriteAsync(Run, format: "avro");

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            AssertSame(first[i], second[i]);
        }
    }

    [Fact]
    public async Task Another_seed_writes_other_bytes()
    {
        var first = await WriteAsync(Run, format: "json");
        var other = await WriteAsync(new { seed = 2027, startAt = "2026-11-02T08:00:00Z", asFastAsPossible = true, maxEvents = 3_000 }, format: "json");

        Assert.NotEqual(
            first.Select(m => Convert.ToHexString(m.Value ?? [])),
            other.Select(m => Convert.ToHexString(m.Value ?? [])));
    }

    private static void AssertSame(TopicRecord a, TopicRecord b)
    {
        var where = $"partition {a.Partition} offset {a.Offset}";
        Assert.Equal((a.Partition, a.Offset), (b.Partition, b.Offset));
        Assert.True(Same(a.KeyBytes, b.KeyBytes), $"keys differ at {where}");
        Assert.True(Same(a.Value, b.Value), $"values differ at {where}: {Text(a.Value)} / {Text(b.Value)}");
        Assert.Equal(a.Headers.Select(h => h.Key), b.Headers.Select(h => h.Key));
        Assert.True(a.Headers.Zip(b.Headers).All(h => Same(h.First.Value, h.Second.Value)), $"headers differ at {where}");
        Assert.Equal(a.TimestampMs, b.TimestampMs);
        Assert.Equal(a.TimestampType, b.TimestampType);
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Text(byte[]? value) => value is null ? "(null)" : System.Text.Encoding.UTF8.GetString(value);

    /// <summary>A fresh instance writes the run (with every fault on), and the topic is read back whole.</summary>
    private static async Task<IReadOnlyList<TopicRecord>> WriteAsync(object run, string format)
    {
        await using var app = new ConfiguredAppFactory(new() { ["Output:Format"] = format });
        var api = new ApiClient(app.CreateClient());
        await api.SetRateAsync(100);
        await api.SetFaultsAsync(new { malformed = 0.01, duplicate = 0.02, late = 0.05, lateMaxSeconds = 30 });
        var final = await api.CompleteRunAsync(run);
        Assert.Equal(3_000, final.RunEvents);
        Assert.Equal(0, final.Failed);
        var kafka = await api.GetKafkaAsync();
        return [.. TopicReader.ReadAll(kafka.BootstrapServers, [kafka.Topic]).OrderBy(m => m.Partition).ThenBy(m => m.Offset)];
    }
}
