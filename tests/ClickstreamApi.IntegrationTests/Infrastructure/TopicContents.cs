using System.Globalization;
using System.Text.RegularExpressions;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>Where one seq of a run sits on the topic: every copy, as a reader that is not the service finds it.</summary>
public sealed record SeqCopies(long Seq, IReadOnlyList<(int Partition, long Offset)> Copies);

/// <summary>
/// The topic as kcat reads it, start to end: an account of a run that does not depend on the
/// service's own consumer, to check the service's integrity counters against.
/// </summary>
public static partial class TopicContents
{
    /// <summary>Every seq of <paramref name="runId"/> on the topic with the partition and offset of each copy.</summary>
    public static async Task<IReadOnlyDictionary<long, SeqCopies>> ReadRunAsync(string kcat, string bootstrapServers, string topic, string runId)
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(
            kcat,
            ["-b", bootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p %o %s\n"],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"kcat failed: {error}");

        var copies = new Dictionary<long, List<(int, long)>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 3 || !parts[2].Contains(runId, StringComparison.Ordinal) || SeqField().Match(parts[2]) is not { Success: true } seq)
            {
                continue;
            }

            var value = long.Parse(seq.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!copies.TryGetValue(value, out var list))
            {
                copies[value] = list = [];
            }

            list.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)));
        }

        return copies.ToDictionary(c => c.Key, c => new SeqCopies(c.Key, c.Value));
    }

    [GeneratedRegex("\"seq\":(\\d+)")]
    private static partial Regex SeqField();
}
