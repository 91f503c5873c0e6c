using Microsoft.Extensions.Options;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// The consumer's own event-time windows of the last Windows:RunsKept runs it has read, by run id,
/// for reconciliation with the generator's truth. The oldest run is forgotten first (and counted).
/// </summary>
public sealed class RunWindowsStore(IOptions<WindowOptions> options)
{
    private readonly WindowOptions _options = options.Value;
    private readonly RecentRuns<RunWindows> _runs = new(options.Value.RunsKept, windows => windows.RunId);
    private RunWindows? _last;

    /// <summary>Runs whose windows were forgotten to keep Windows:RunsKept.</summary>
    public long ForgottenRuns => _runs.Forgotten;

    /// <summary>Consumer thread only: the windows of <paramref name="runId"/>, begun if new.</summary>
    public RunWindows For(string runId)
    {
        if (_last is { } last && string.Equals(last.RunId, runId, StringComparison.Ordinal))
        {
            return last;
        }

        return _last = _runs.GetOrAdd(runId, id => new RunWindows(id, _options));
    }

    public RunWindows? Find(string runId) => _runs.Find(runId);
}
