using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation.Truth;

/// <summary>The truth of the last Windows:RunsKept runs, by run id; the oldest run is forgotten first (and counted).</summary>
public sealed class TruthStore(IOptions<WindowOptions> options)
{
    private readonly Lock _gate = new();
    private readonly WindowOptions _options = options.Value;
    private readonly LinkedList<RunTruth> _runs = [];

    /// <summary>Runs whose truth was forgotten to keep Windows:RunsKept.</summary>
    public long ForgottenRuns { get; private set; }

    public WindowOptions Options => _options;

    /// <summary>The newest run's truth, or null before the first run.</summary>
    public RunTruth? Latest
    {
        get
        {
            lock (_gate)
            {
                return _runs.Last?.Value;
            }
        }
    }

    public RunTruth Begin(string runId, int seed, SimulatedClock? clock)
    {
        var truth = new RunTruth(runId, seed, clock, _options);
        lock (_gate)
        {
            // A simulated run replayed has the same id: its truth starts again.
            var same = _runs.FirstOrDefault(r => r.RunId == runId);
            if (same is not null)
            {
                _runs.Remove(same);
            }

            _runs.AddLast(truth);
            while (_runs.Count > _options.RunsKept)
            {
                _runs.RemoveFirst();
                ForgottenRuns++;
            }
        }

        return truth;
    }

    public RunTruth? Find(string runId)
    {
        lock (_gate)
        {
            return _runs.FirstOrDefault(r => r.RunId == runId);
        }
    }
}
