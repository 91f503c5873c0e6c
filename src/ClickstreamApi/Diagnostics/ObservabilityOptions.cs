using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Diagnostics;

public enum LogFormat
{
    /// <summary>Readable single lines for people at a terminal.</summary>
    Text,

    /// <summary>Compact JSON (CLEF), one event per line, for log collectors.</summary>
    Json,
}

/// <summary>The <c>Observability</c> configuration section: how the service logs (read by the pipeline for its sampled event lines, and by the observers).</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>Console log format: <c>Text</c> or <c>Json</c>.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>
    /// At most this many consumed events (and as many rejected messages) are logged one line each per
    /// second; beyond that they are only counted in the periodic summary. 0 turns event lines off.
    /// </summary>
    [Range(0, 10_000, ErrorMessage = "Observability:EventLogLinesPerSecond must be between 0 and 10000.")]
    public int EventLogLinesPerSecond { get; set; } = 5;

    /// <summary>Seconds between summary lines (rates, totals, lag); 0 turns them off.</summary>
    [Range(0, 3600, ErrorMessage = "Observability:SummaryIntervalSeconds must be between 0 and 3600.")]
    public int SummaryIntervalSeconds { get; set; } = 10;
}
