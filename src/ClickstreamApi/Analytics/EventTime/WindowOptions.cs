using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// The <c>Windows</c> configuration section: the event-time windows the generator's truth and the
/// consumer's reconciliation both count in. Both sides read the same values, so they compare.
/// </summary>
public sealed class WindowOptions
{
    public const string SectionName = "Windows";

    /// <summary>Length of each tumbling window.</summary>
    [Range(1, 86_400, ErrorMessage = "Windows:WindowSeconds must be between 1 and 86400.")]
    public int WindowSeconds { get; set; } = 15;

    /// <summary>
    /// How long after a window's end (by the newest event time seen) late events still count in it
    /// exactly. Later ones are still counted but flagged; distinct users can no longer be exact.
    /// </summary>
    [Range(0, 86_400, ErrorMessage = "Windows:AllowedLatenessSeconds must be between 0 and 86400.")]
    public int AllowedLatenessSeconds { get; set; } = 120;

    /// <summary>Runs kept (truth on the generator's side, windows on the consumer's); the oldest goes first.</summary>
    [Range(1, 100, ErrorMessage = "Windows:RunsKept must be between 1 and 100.")]
    public int RunsKept { get; set; } = 4;

    /// <summary>Windows kept per run (40,320 × 15 s = one week); beyond it the oldest window is evicted and counted.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Windows:MaxWindowsPerRun must be between 1 and 10000000.")]
    public int MaxWindowsPerRun { get; set; } = 40_320;

    /// <summary>
    /// Sessions a run's windows follow at once. A session is only known to have ended 30 minutes of
    /// event time after its last event, so at high rates very many are open; beyond this many the
    /// ones idle longest are ended at their last event (counted as cut short; sessions are then not
    /// compared by reconcile). About 40 bytes each.
    /// </summary>
    [Range(1_000, 100_000_000, ErrorMessage = "Windows:MaxOpenSessions must be between 1000 and 100000000.")]
    public int MaxOpenSessions { get; set; } = 200_000;

    public TimeSpan WindowLength => TimeSpan.FromSeconds(WindowSeconds);

    public TimeSpan AllowedLateness => TimeSpan.FromSeconds(AllowedLatenessSeconds);
}
