using System.Text.RegularExpressions;

namespace ClickstreamApi.LoadBench.Tools;

/// <summary>
/// The outside tools the scenarios compare against, found on this machine or not. A missing tool
/// turns its rows into "not run: ... not installed"; it never makes them disappear.
/// </summary>
/// <param name="Kcat">kcat (Debian: <c>apt-get install kcat</c>).</param>
/// <param name="Wrk">wrk (Debian: <c>apt-get install wrk</c>).</param>
/// <param name="Python">A python3 that can import confluent_kafka (Debian: <c>apt-get install python3-confluent-kafka</c>).</param>
internal sealed partial record ToolBox(Tool? Kcat, Tool? Wrk, Tool? Python)
{
    public const string KcatMissing = "not run: kcat not installed";
    public const string WrkMissing = "not run: wrk not installed";
    public const string PythonMissing = "not run: python3 with confluent_kafka not installed";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ToolBox> FindAsync(CancellationToken cancellationToken) =>
        new(await KcatAsync(cancellationToken), await WrkAsync(cancellationToken), await PythonAsync(cancellationToken));

    public static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<Tool?> KcatAsync(CancellationToken cancellationToken)
    {
        if (FindOnPath("kcat") is not { } path)
        {
            return null;
        }

        // "Version 1.7.1 (JSON, Transactions, IncrementalAssign, librdkafka 2.0.2 builtin.features=...)"
        var output = await ExternalProcess.RunAsync(path, ["-V"], CheckTimeout, cancellationToken);
        var match = KcatVersion().Match(output.Output + output.Error);
        return new Tool(path, match.Success ? $"kcat {match.Groups[1].Value} (librdkafka {match.Groups[2].Value})" : "kcat");
    }

    private static async Task<Tool?> WrkAsync(CancellationToken cancellationToken)
    {
        if (FindOnPath("wrk") is not { } path)
        {
            return null;
        }

        // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
        var output = await ExternalProcess.RunAsync(path, ["-v"], CheckTimeout, cancellationToken);
        var first = (output.Output + output.Error).Split('\n').FirstOrDefault() ?? "wrk";
        var bracket = first.IndexOf(" [", StringComparison.Ordinal);
        return new Tool(path, bracket > 0 ? first[..bracket] : "wrk");
    }

    private static async Task<Tool?> PythonAsync(CancellationToken cancellationToken)
    {
        // Debian's python3-confluent-kafka lives with the system python, which a pyenv shim may hide.
        foreach (var candidate in new[] { "/usr/bin/python3", FindOnPath("python3") })
        {
            if (candidate is null || !File.Exists(candidate))
            {
                continue;
            }

            var check = await ExternalProcess.RunAsync(
                candidate,
                ["-c", "import sys, confluent_kafka; print(sys.version.split()[0], confluent_kafka.version()[0], confluent_kafka.libversion()[0])"],
                CheckTimeout,
                cancellationToken);
            if (check.Succeeded)
            {
                var parts = check.Output.Trim().Split(' ');
                return new Tool(candidate, parts.Length == 3 ? $"Python {parts[0]}, confluent_kafka {parts[1]} (librdkafka {parts[2]})" : "python3 with confluent_kafka");
            }
        }

        return null;
    }

    [GeneratedRegex(@"Version (\S+) \(.*librdkafka (\S+)")]
    private static partial Regex KcatVersion();
}

/// <summary>An outside tool: where it is and which version, for the tables.</summary>
internal sealed record Tool(string Path, string Version);
