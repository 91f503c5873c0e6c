using BenchmarkDotNet.Attributes;
using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Events;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Truth;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// What recording the truth costs the generating loop per event, against the work it does anyway
/// (simulating the event on the backfill's schedule). The events are those of a backfill of
/// Monday 2026-11-02 on the daily profile at 100 events/s (<see cref="BackfillRun"/>), from about
/// 01:00 UTC after a warm-up, 262,144 of them: about 50 minutes of event time, so windows close
/// and sessions time out (30 minutes) as in a real run. Each invocation records them all into a
/// fresh run (windows, sessions and key tables start empty, as at the start of a run), so the
/// state never drifts from one iteration to the next; per-event figures include that growth.
/// </summary>
[MemoryDiagnoser]
public class TruthRecordingBenchmarks
{
    private const int Events = 262_144;
    private const int WarmUpEvents = 300_000;
    private const int SimulatedPerInvoke = 4096;

    private readonly WindowOptions _options = new();
    private ClickEvent[] _events = null!;
    private TalliedEvent[] _tallied = null!;
    private BackfillRun _run = null!;

    [GlobalSetup]
    public void Setup()
    {
        _run = new BackfillRun();
        _run.Take(WarmUpEvents);
        _events = _run.Take(Events);
        _tallied = [.. _events.Select(TalliedEvent.From)];
    }

    /// <summary>The generator's own per-event work before serializing: the schedule's next time, then the simulator.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SimulatedPerInvoke)]
    public ClickEvent SimulateEvent()
    {
        ClickEvent last = null!;
        for (var i = 0; i < SimulatedPerInvoke; i++)
        {
            last = _run.Next();
        }

        return last;
    }

    /// <summary><see cref="RunWindows.Record"/> alone, on events already reduced to what windows count.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long RunWindowsRecord()
    {
        var windows = new RunWindows(BackfillRun.RunId, _options);
        foreach (ref readonly var e in _tallied.AsSpan())
        {
            windows.Record(e);
        }

        return windows.Events;
    }

    /// <summary>What GeneratorService calls per event handed over: <see cref="RunTruth.Record"/> (TalliedEvent.From, then the events' windows).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long RunTruthRecord()
    {
        var truth = new RunTruth(BackfillRun.RunId, BackfillRun.Seed, BackfillRun.Clock, _options);
        foreach (var e in _events)
        {
            truth.Record(e, late: false, FaultSettings.None);
        }

        return truth.Events.Events;
    }

    /// <summary>The same, then <see cref="RunTruth.Finish"/> (every open session ends, every window is sealed), as at the end of a run.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long RunTruthRecordAndFinish()
    {
        var truth = new RunTruth(BackfillRun.RunId, BackfillRun.Seed, BackfillRun.Clock, _options);
        foreach (var e in _events)
        {
            truth.Record(e, late: false, FaultSettings.None);
        }

        truth.Finish();
        return truth.Events.Events;
    }
}
