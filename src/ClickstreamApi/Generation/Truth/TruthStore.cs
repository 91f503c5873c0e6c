using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation.Truth;

/// <summary>The truth of the last Windows:RunsKept runs, by run id; the oldest run is forgotten first (and counted).</summary>
public sealed class TruthStore(IOptions<WindowOptions> options)
{
    private readonly RecentRuns<RunTruth> _runs = new(options.Value.RunsKept, truth => truth.RunId);

    /// <summary>Runs whose truth was forgotten to keep Windows:RunsKept.</summary>
    public long ForgottenRuns => _runs.Forgotten;

    public WindowOptions Options { get; } = options.Value;

    /// <summary>The newest run's truth, or null before the first run.</summary>
    public RunTruth? Latest => _runs.Latest;

    /// <summary>Begins a run's truth; a simulated run replayed has the same id, and its truth starts again.</summary>
    public RunTruth Begin(string runId, int seed, SimulatedClock? clock)
    {
        var truth = new RunTruth(runId, seed, clock, Options);
        _runs.Add(truth);
        return truth;
    }

    public RunTruth? Find(string runId) => _runs.Find(runId);
}
