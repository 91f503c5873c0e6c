using System.Diagnostics;

namespace ClickstreamApi.LoadBench.Measuring;

/// <summary>Waiting for a condition by reading it again and again, with a deadline.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> read,
        Func<T, bool> done,
        TimeSpan interval,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var value = await read(cancellationToken);
            if (done(value))
            {
                return value;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:F0} s waiting for {what}");
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>Seconds since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public static double SecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
