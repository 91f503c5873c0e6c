using System.Globalization;
using System.Text.RegularExpressions;

namespace ClickstreamApi.LoadBench.Tools;

/// <summary>What wrk printed (with <c>--latency</c>): throughput, latency distribution, errors.</summary>
/// <param name="RequestsPerSecond">Its "Requests/sec" line.</param>
/// <param name="Requests">Requests completed.</param>
/// <param name="P50Ms">50th percentile latency, ms.</param>
/// <param name="P90Ms">90th percentile latency, ms.</param>
/// <param name="P99Ms">99th percentile latency, ms.</param>
/// <param name="MaxMs">Largest latency, ms.</param>
/// <param name="Non2xx">"Non-2xx or 3xx responses".</param>
/// <param name="SocketErrors">connect + read + write + timeout errors.</param>
internal sealed partial record WrkOutput(double RequestsPerSecond, long Requests, double P50Ms, double P90Ms, double P99Ms, double MaxMs, long Non2xx, long SocketErrors)
{
    public static WrkOutput? Parse(string text)
    {
        var rate = RequestsPerSecondLine().Match(text);
        if (!rate.Success)
        {
            return null;
        }

        var percentiles = PercentileLine().Matches(text)
            .ToDictionary(m => m.Groups[1].Value, m => Milliseconds(m.Groups[2].Value, m.Groups[3].Value), StringComparer.Ordinal);
        var max = ThreadLatencyLine().Match(text);
        var requests = RequestsLine().Match(text);
        var non2xx = Non2xxLine().Match(text);
        var sockets = SocketErrorsLine().Match(text);
        return new WrkOutput(
            Number(rate.Groups[1].Value),
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            percentiles.GetValueOrDefault("50", double.NaN),
            percentiles.GetValueOrDefault("90", double.NaN),
            percentiles.GetValueOrDefault("99", double.NaN),
            max.Success ? Milliseconds(max.Groups[1].Value, max.Groups[2].Value) : double.NaN,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            sockets.Success ? Enumerable.Range(1, 4).Sum(g => long.Parse(sockets.Groups[g].Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double Milliseconds(string value, string unit) => unit switch
    {
        "us" => Number(value) / 1000,
        "ms" => Number(value),
        "s" => Number(value) * 1000,
        "m" => Number(value) * 60_000,
        _ => double.NaN,
    };

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    // "    Latency     5.12ms    2.01ms  40.00ms   90.00%": average, deviation, max, share within one deviation.
    [GeneratedRegex(@"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\s", RegexOptions.Multiline)]
    private static partial Regex ThreadLatencyLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}
