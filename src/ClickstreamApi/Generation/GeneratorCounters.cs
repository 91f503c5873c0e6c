using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Generation;

/// <summary>What the generating loop measured: achieved rate, run progress, schedule slips, faults.</summary>
public sealed class GeneratorCounters(TimeProvider time)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = Completed();
    private long _runEvents;
    private long _appliedVersion = -1;
    private long _countedRun = -1;
    private long _scheduleResets;
    private long _skippedEvents;
    private long _consumerWaits;
    private double _currentTarget;
    private long _simulatedNowTicks = long.MinValue;
    private RegisteredEventSchema? _schema;
    private string? _schemaRegistryProblem;

    /// <summary>
    /// The last setpoint version the generating loop has taken in (<see cref="GeneratorSetpoint.Version"/>):
    /// every event it hands over after this was made under that setpoint or a later one.
    /// </summary>
    public long AppliedVersion => Interlocked.Read(ref _appliedVersion);

    /// <summary>Valid events handed to the producer, per second.</summary>
    public RateMeter Achieved { get; } = new(time);

    public FaultCounters Injected { get; } = new();

    /// <summary>Dimension rows and changes the current (or last) run handed to the producer.</summary>
    public DimensionCounters Dimensions { get; } = new();

    /// <summary>
    /// Valid events handed to the producer in run <paramref name="runNumber"/>: 0 while the loop has not
    /// taken that run in yet (a status read just after a start must not show the previous run's count).
    /// </summary>
    public long RunEventsOf(long runNumber)
    {
        // BeginRun resets the count before it names the run, so a count read after the name is the run's.
        if (Interlocked.Read(ref _countedRun) != runNumber)
        {
            return 0;
        }

        return Interlocked.Read(ref _runEvents);
    }

    /// <summary>Times the generator fell more than a second behind its schedule and skipped ahead.</summary>
    public long ScheduleResets => Interlocked.Read(ref _scheduleResets);

    /// <summary>Events the schedule skipped when it fell behind (never generated, so never lost).</summary>
    public long SkippedEvents => Interlocked.Read(ref _skippedEvents);

    /// <summary>Times a simulated run waited for the service's consumer to catch up (embedded cluster; see Generator:MaxConsumerLeadPerPartition).</summary>
    public long ConsumerWaits => Interlocked.Read(ref _consumerWaits);

    /// <summary>The profile's rate at this moment (a ramp's current value, 0 in a burst's pause).</summary>
    public double CurrentTarget => Volatile.Read(ref _currentTarget);

    /// <summary>The simulated time the current (or last) run has reached; null on the wall clock.</summary>
    public DateTimeOffset? SimulatedNow => Interlocked.Read(ref _simulatedNowTicks) is var ticks && ticks != long.MinValue
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>The registered schema the current (or last) run writes with; null for plain JSON.</summary>
    public RegisteredEventSchema? Schema => Volatile.Read(ref _schema);

    /// <summary>Why the run's first event waits (the registry does not answer) or why the run ended without events (the registry refused the schema), in words; null otherwise.</summary>
    public string? SchemaRegistryProblem => Volatile.Read(ref _schemaRegistryProblem);

    internal void ReportSchema(RegisteredEventSchema? schema, string? problem)
    {
        Volatile.Write(ref _schema, schema);
        Volatile.Write(ref _schemaRegistryProblem, problem);
    }

    /// <summary>
    /// Completes once the loop is generating nothing: after a stop, when the loop has taken it in and
    /// finished the event it was on, so the counters are final. Stays completed while idle.
    /// </summary>
    public Task Idle
    {
        get
        {
            lock (_gate)
            {
                return _idle.Task;
            }
        }
    }

    /// <summary>The loop begins run <paramref name="runNumber"/>: its count starts from 0.</summary>
    internal void BeginRun(long runNumber)
    {
        Interlocked.Exchange(ref _runEvents, 0);
        Interlocked.Exchange(ref _countedRun, runNumber);
        Dimensions.Reset();
        lock (_gate)
        {
            // A run that replaces another ends it: whoever waited for that one is released.
            _idle.TrySetResult();
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>The loop has stopped generating (stopped, completed, or shutting down).</summary>
    internal void EndRun()
    {
        lock (_gate)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>The loop has taken setpoint <paramref name="version"/> in.</summary>
    internal void ReportApplied(long version) => Interlocked.Exchange(ref _appliedVersion, version);

    internal void CountEvents(long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _runEvents, count);
        }

        // Recorded even when zero, so the meter's window moves on while nothing is due.
        Achieved.Record(count);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    internal void CountConsumerWait() => Interlocked.Increment(ref _consumerWaits);

    internal void ReportClock(DateTimeOffset? simulatedNow) =>
        Interlocked.Exchange(ref _simulatedNowTicks, simulatedNow?.UtcTicks ?? long.MinValue);

    internal void ReportSchedule(long resets, long skipped, double currentTarget)
    {
        Interlocked.Exchange(ref _scheduleResets, resets);
        Interlocked.Exchange(ref _skippedEvents, skipped);
        Volatile.Write(ref _currentTarget, currentTarget);
    }
}
