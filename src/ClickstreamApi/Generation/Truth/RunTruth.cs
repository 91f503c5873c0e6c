using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Generation.Truth;

/// <summary>
/// What a downstream job should compute from one run: every event the generator handed to Kafka,
/// once, in event-time windows (<see cref="Events"/>), with the faults it injected beside them:
/// the extra copies it sent (<see cref="Duplicates"/>, counted like events so an at-least-once job's
/// surplus is known field by field), and per window the events it sent late and the malformed
/// messages it sent after them. Recorded by the generating loop as it hands messages over.
/// </summary>
public sealed class RunTruth
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, InjectedInWindow> _injected = [];
    private readonly long _windowTicks;
    private double _lateAllowedSeconds;

    public RunTruth(string runId, int seed, SimulatedClock? clock, WindowOptions options)
    {
        RunId = runId;
        Seed = seed;
        Clock = clock;
        Events = new RunWindows(runId, options);
        Duplicates = new RunWindows(runId, options);
        _windowTicks = options.WindowLength.Ticks;
    }

    public string RunId { get; }

    public int Seed { get; }

    public SimulatedClock? Clock { get; }

    /// <summary>Each event handed over, counted once.</summary>
    public RunWindows Events { get; }

    /// <summary>The extra copies sent by the duplicate fault.</summary>
    public RunWindows Duplicates { get; }

    public long Late { get; private set; }

    public long Malformed { get; private set; }

    /// <summary>True once the run has ended: every window is final.</summary>
    public bool Complete => Events.Finished;

    public void Record(ClickEvent e, bool late, FaultSettings faults)
    {
        if (late)
        {
            // A late event may reach further back than the configured lateness: keep its window open
            // for it (once per setting of the fault, not per event).
            if (faults.LateMaxSeconds > _lateAllowedSeconds)
            {
                _lateAllowedSeconds = faults.LateMaxSeconds;
                Events.AllowLateness(TimeSpan.FromSeconds(faults.LateMaxSeconds));
                Duplicates.AllowLateness(TimeSpan.FromSeconds(faults.LateMaxSeconds));
            }

            Flag(e.OccurredAt, late: 1, malformed: 0);
            Late++;
        }

        Events.Record(TalliedEvent.From(e));
    }

    public void RecordDuplicate(ClickEvent e) => Duplicates.Record(TalliedEvent.From(e));

    public void RecordMalformed(ClickEvent after)
    {
        Flag(after.OccurredAt, late: 0, malformed: 1);
        Malformed++;
    }

    /// <summary>Faults injected into the window starting at <paramref name="start"/>.</summary>
    public InjectedInWindow InjectedAt(DateTimeOffset start)
    {
        lock (_gate)
        {
            return _injected.GetValueOrDefault(IndexOf(start.UtcTicks));
        }
    }

    public void Finish()
    {
        Events.Finish();
        Duplicates.Finish();
    }

    private void Flag(DateTimeOffset at, long late, long malformed)
    {
        lock (_gate)
        {
            var index = IndexOf(at.UtcTicks);
            var current = _injected.GetValueOrDefault(index);
            _injected[index] = new InjectedInWindow(current.Late + late, current.Malformed + malformed);
        }
    }

    private long IndexOf(long ticks) => WindowIndex.Of(ticks, _windowTicks);
}
