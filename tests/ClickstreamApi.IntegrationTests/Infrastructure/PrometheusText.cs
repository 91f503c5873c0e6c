using System.Globalization;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>One sample of a Prometheus text exposition: metric name, labels as written, value.</summary>
public sealed record PrometheusSample(string Name, string Labels, double Value);

/// <summary>Reads the Prometheus text format well enough for tests (no escaped quotes in label values).</summary>
public static class PrometheusText
{
    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            string name, labels, rest;
            if (brace >= 0 && close > brace)
            {
                name = line[..brace];
                labels = line[(brace + 1)..close];
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                labels = string.Empty;
                rest = line[(space + 1)..].Trim();
            }

            var value = rest.Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            }));
        }

        return samples;
    }
}
