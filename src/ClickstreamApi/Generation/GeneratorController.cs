using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>The generator's runtime state at one moment.</summary>
/// <param name="Running">Whether events are being generated.</param>
/// <param name="EventsPerSecond">The target rate.</param>
/// <param name="RunId">The current (or last) run; a run begins with each start.</param>
/// <param name="RunStartedAt">When the current (or last) run began.</param>
/// <param name="Version">Bumped on every change so the loop can tell what changed.</param>
public sealed record GeneratorState(bool Running, double EventsPerSecond, string? RunId, DateTimeOffset? RunStartedAt, long Version);

/// <summary>
/// Runtime control of the generator (start, stop, rate), separate from configuration. Thread-safe;
/// the generating loop waits on <see cref="Changed"/> to react at once.
/// </summary>
public sealed class GeneratorController
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private GeneratorState _state;
    private TaskCompletionSource _changed = NewSignal();
    private long _scheduleResets;

    public GeneratorController(IOptions<GeneratorOptions> options, TimeProvider time)
    {
        _time = time;
        _state = new GeneratorState(false, options.Value.EventsPerSecond, null, null, 0);
        MaxEventsPerSecond = options.Value.MaxEventsPerSecond;
    }

    public double MaxEventsPerSecond { get; }

    public GeneratorState Current => Volatile.Read(ref _state);

    /// <summary>Times the generator fell more than <see cref="RatePacer.MaxBacklog"/> behind and restarted its schedule.</summary>
    public long ScheduleResets => Interlocked.Read(ref _scheduleResets);

    /// <summary>Completes at the next change. Read it before <see cref="Current"/> so no change is missed.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Starts a new run unless one is running (idempotent).</summary>
    public GeneratorState Start() => Update(s => s.Running
        ? s
        : s with { Running = true, RunId = Guid.CreateVersion7(_time.GetUtcNow()).ToString(), RunStartedAt = _time.GetUtcNow() });

    /// <summary>Stops the current run (idempotent).</summary>
    public GeneratorState Stop() => Update(s => s.Running ? s with { Running = false } : s);

    public GeneratorState SetRate(double eventsPerSecond)
    {
        if (!double.IsFinite(eventsPerSecond) || eventsPerSecond < GeneratorOptions.MinEventsPerSecond || eventsPerSecond > MaxEventsPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(eventsPerSecond), eventsPerSecond, "The rate is outside the allowed range.");
        }

        return Update(s => s.EventsPerSecond == eventsPerSecond ? s : s with { EventsPerSecond = eventsPerSecond });
    }

    internal void CountScheduleReset() => Interlocked.Increment(ref _scheduleResets);

    private GeneratorState Update(Func<GeneratorState, GeneratorState> change)
    {
        TaskCompletionSource signal;
        GeneratorState next;
        lock (_gate)
        {
            var current = _state;
            next = change(current);
            if (ReferenceEquals(next, current))
            {
                return current;
            }

            next = next with { Version = current.Version + 1 };
            Volatile.Write(ref _state, next);
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return next;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
