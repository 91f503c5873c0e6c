using System.Diagnostics;
using ClickstreamApi.LoadBench.Measuring;

namespace ClickstreamApi.LoadBench.Load;

/// <summary>
/// Open-loop HTTP load: requests are sent on a fixed timeline (request i at start + i / rate),
/// whether or not earlier ones have answered, and each latency is measured from the request's
/// scheduled time to its complete response. A stalled server therefore shows up in the latencies of
/// every request that should have been sent meanwhile, not as one slow request (no coordinated
/// omission).
/// </summary>
internal static class ConstantRateLoad
{
    public static async Task<ConstantRateResult> RunAsync(Uri baseAddress, string path, double rate, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            // HTTP/1.1 needs a connection per request in flight; let a stall open as many as it takes.
            MaxConnectionsPerServer = 1024,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var uri = new Uri(path, UriKind.Relative);
        var warmupCount = (int)(warmup.TotalSeconds * rate);
        var total = warmupCount + (int)(window.TotalSeconds * rate);
        var latencies = new double[total];
        var outcomes = new Outcome[total];
        var tasks = new Task[total];
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < total)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < total && start + (long)(next * ticksPerRequest) <= now)
            {
                tasks[next] = SendAsync(http, uri, next, start + (long)(next * ticksPerRequest), latencies, outcomes, cancellationToken);
                next++;
            }

            if (next < total)
            {
                // About a millisecond on Linux: requests due meanwhile go out together on waking,
                // and the lateness counts in their latency.
                await Task.Delay(1, cancellationToken);
            }
        }

        await Task.WhenAll(tasks);
        var measured = Enumerable.Range(warmupCount, total - warmupCount).ToArray();
        var succeeded = measured.Where(i => outcomes[i] == Outcome.Succeeded).Select(i => latencies[i]).Order().ToArray();
        return new ConstantRateResult(
            measured.Length,
            succeeded.Length,
            measured.Count(i => outcomes[i] == Outcome.ErrorStatus),
            measured.Count(i => outcomes[i] == Outcome.Failed),
            Statistics.Percentile(succeeded, 50),
            Statistics.Percentile(succeeded, 99),
            Statistics.Percentile(succeeded, 99.9),
            succeeded.Length > 0 ? succeeded[^1] : double.NaN);
    }

    private static async Task SendAsync(HttpClient http, Uri uri, int index, long scheduled, double[] latencies, Outcome[] outcomes, CancellationToken cancellationToken)
    {
        try
        {
            // The whole body is read before the clock stops.
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken);
            latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
            outcomes[index] = response.IsSuccessStatusCode ? Outcome.Succeeded : Outcome.ErrorStatus;
        }
        catch (HttpRequestException)
        {
            outcomes[index] = Outcome.Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's timeout.
            outcomes[index] = Outcome.Failed;
        }
    }

    private enum Outcome : byte
    {
        NotSent,
        Succeeded,
        ErrorStatus,
        Failed,
    }
}

/// <summary>The measured part of a constant-rate load (the warm-up excluded).</summary>
/// <param name="Scheduled">Requests scheduled in the window.</param>
/// <param name="Succeeded">Answered with 2xx.</param>
/// <param name="ErrorStatus">Answered with another status.</param>
/// <param name="Failed">Connection errors and time-outs (30 s).</param>
/// <param name="P50Ms">Latency percentiles of the successful requests, from scheduled send to full response.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="P999Ms">99.9th percentile.</param>
/// <param name="MaxMs">Largest.</param>
internal sealed record ConstantRateResult(int Scheduled, int Succeeded, int ErrorStatus, int Failed, double P50Ms, double P99Ms, double P999Ms, double MaxMs);
