using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>What the consumer saw of one bounded run, from the integrity section of /api/stats.</summary>
public sealed record RunReconciliation(string RunId, long MaxSeq, long Received, long Missing, long Duplicates)
{
    /// <summary>Waits until the consumer has received every seq of a completed bounded run (or times out), then reports what it saw.</summary>
    public static async Task<RunReconciliation> AwaitAsync(ApiClient api, string runId, long expected, TimeSpan? timeout = null) =>
        await Eventually.Until(
            async () => Find(await api.GetJsonAsync("/api/stats"), runId),
            r => r is not null && r.Received >= expected,
            $"the consumer to receive all {expected} events of run {runId}",
            timeout ?? TimeSpan.FromSeconds(90)) ?? throw new InvalidOperationException("unreachable");

    private static RunReconciliation? Find((HttpResponseMessage Response, JsonElement Body) stats, string runId)
    {
        stats.Response.Dispose();
        foreach (var run in stats.Body.GetProperty("integrity").GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("runId").GetString() == runId)
            {
                return new RunReconciliation(
                    runId,
                    run.GetProperty("maxSeq").GetInt64(),
                    run.GetProperty("received").GetInt64(),
                    run.GetProperty("missing").GetInt64(),
                    run.GetProperty("duplicates").GetInt64());
            }
        }

        return null;
    }
}
