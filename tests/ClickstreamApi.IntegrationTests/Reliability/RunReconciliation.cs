using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>What the consumer saw of one bounded run, from the integrity section of /api/stats.</summary>
public sealed record RunReconciliation(string RunId, long MaxSeq, long Received, long Missing, long Duplicates, long BeforeJoin = 0)
{
    /// <summary>
    /// Waits until the consumer has received every seq of a completed bounded run, or until nothing
    /// new has arrived for <paramref name="quietFor"/>, and reports what it saw (the caller asserts).
    /// </summary>
    public static async Task<RunReconciliation> AwaitAsync(ApiClient api, string runId, long expected, TimeSpan? quietFor = null)
    {
        var quiet = quietFor ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        RunReconciliation? last = null;
        var lastChange = DateTime.UtcNow;
        while (true)
        {
            var current = await CurrentAsync(api, runId);
            if (current != last)
            {
                last = current;
                lastChange = DateTime.UtcNow;
            }

            if (current is not null && current.Received + current.Duplicates + current.BeforeJoin >= expected && current.MaxSeq >= expected)
            {
                return current;
            }

            if (DateTime.UtcNow - lastChange > quiet || DateTime.UtcNow > deadline)
            {
                return current ?? new RunReconciliation(runId, 0, 0, expected, 0);
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Messages on the topic: the sum of every partition's high watermark, as the consumer last saw them.</summary>
    public static async Task<long> MessagesOnTopicAsync(ApiClient api)
    {
        var (response, stats) = await api.GetJsonAsync("/api/stats");
        response.Dispose();
        return stats.GetProperty("partitions").GetProperty("partitions").EnumerateArray()
            .Sum(p => p.GetProperty("highWatermark").ValueKind == JsonValueKind.Number ? p.GetProperty("highWatermark").GetInt64() : 0);
    }

    /// <summary>What the consumer has seen of the run so far; null while the run is not in the integrity section.</summary>
    public static async Task<RunReconciliation?> CurrentAsync(ApiClient api, string runId)
    {
        var (response, stats) = await api.GetJsonAsync("/api/stats");
        response.Dispose();
        foreach (var run in stats.GetProperty("integrity").GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("runId").GetString() == runId)
            {
                return new RunReconciliation(
                    runId,
                    run.GetProperty("maxSeq").GetInt64(),
                    run.GetProperty("received").GetInt64(),
                    run.GetProperty("missing").GetInt64(),
                    run.GetProperty("duplicates").GetInt64(),
                    run.GetProperty("beforeJoin").GetInt64());
            }
        }

        return null;
    }
}
