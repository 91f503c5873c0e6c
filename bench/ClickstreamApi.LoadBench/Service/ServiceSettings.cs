namespace ClickstreamApi.LoadBench.Service;

/// <summary>The environment the service is started with: quiet, idle, everything else as shipped.</summary>
internal static class ServiceSettings
{
    /// <summary>
    /// No per-event log lines, no summary lines, warnings only, and no generator until the harness
    /// starts it; each override replaces or adds one setting (<c>("Consumer__Enabled", "false")</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Bench(params (string Name, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Observability__EventLogLinesPerSecond"] = "0",
            ["Observability__SummaryIntervalSeconds"] = "0",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Generator__AutoStart"] = "false",
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }
}
