using Microsoft.Extensions.Options;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// The consumer's own event-time windows of the last Windows:RunsKept runs it has read, by run id,
/// for reconciliation with the generator's truth. The oldest run is forgotten first (and counted).
/// </summary>
public sealed class RunWindowsStore(IOptions<WindowOptions> options)
{
    private readonly Lock _gate = new();
    private readonly WindowOptions _options = options.Value;
    private readonly LinkedList<RunWindows> _runs = [];
    private RunWindows? _last;

    /// <summary>Runs whose windows were forgotten to keep Windows:RunsKept.</summary>
    public long ForgottenRuns { get; private set; }

    /// <summary>Consumer thread only: the windows of <paramref name="runId"/>, begun if new.</summary>
    public RunWindows For(string runId)
    {
        if (_last is { } last && string.Equals(last.RunId, runId, StringComparison.Ordinal))
        {
            return last;
        }

        lock (_gate)
        {
            var known = _runs.FirstOrDefault(r => r.RunId == runId);
            if (known is null)
            {
                known = new RunWindows(runId, _options);
                _runs.AddLast(known);
                while (_runs.Count > _options.RunsKept)
                {
                    _runs.RemoveFirst();
                    ForgottenRuns++;
                }
            }

            _last = known;
            return known;
        }
    }

    public RunWindows? Find(string runId)
    {
        lock (_gate)
        {
            return _runs.FirstOrDefault(r => r.RunId == runId);
        }
    }
}
