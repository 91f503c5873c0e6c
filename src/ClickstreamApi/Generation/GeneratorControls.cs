using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>
/// Runtime control of the generator (start, stop, rate profile, faults), separate from
/// configuration. Thread-safe; the generating loop waits on <see cref="Changed"/> to react at once.
/// </summary>
public sealed class GeneratorControls : Kafka.ILiveRunSignal, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int? _configuredSeed;
    private readonly OutputFormat _configuredFormat;
    private GeneratorSetpoint _state;
    private TaskCompletionSource _changed = NewSignal();

    // No spinning before it blocks: the generating loop waits on it up to a thousand times a second.
    private readonly ManualResetEventSlim _changedEvent = new(false, spinCount: 0);

    public GeneratorControls(IOptions<GeneratorOptions> options, IOptions<OutputOptions> output, TimeProvider time)
    {
        _time = time;
        _configuredSeed = options.Value.Seed;
        _configuredFormat = output.Value.DefaultFormat;
        MaxEventsPerSecond = options.Value.MaxEventsPerSecond;
        _state = new GeneratorSetpoint(
            false,
            RateProfile.Constant(options.Value.EventsPerSecond),
            time.GetUtcNow(),
            null,
            null,
            null,
            null,
            FaultSettings.None,
            _configuredFormat,
            0);
    }

    public double MaxEventsPerSecond { get; }

    public GeneratorSetpoint Current => Volatile.Read(ref _state);

    /// <inheritdoc />
    public bool LiveRunGenerating => Current is { Running: true, MaxEvents: null, Clock: null };

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

    /// <summary>Starts a new run unless one is running (then nothing changes).</summary>
    /// <remarks>
    /// A simulated run's id comes from its seed and start (<see cref="RunIds.Simulated"/>), so the
    /// same dataset carries the same id; a run on the wall clock gets a fresh UUIDv7.
    /// </remarks>
    public GeneratorSetpoint Start(RunOptions? run = null) => Update(s =>
    {
        if (s.Running)
        {
            return s;
        }

        var seed = run?.Seed ?? _configuredSeed ?? Random.Shared.Next();
        var clock = run?.Clock;
        return s with
        {
            Running = true,
            RunId = clock is null ? Guid.CreateVersion7(_time.GetUtcNow()).ToString() : RunIds.Simulated(seed, clock.StartAt),
            RunStartedAt = _time.GetUtcNow(),
            Seed = seed,
            MaxEvents = run?.MaxEvents,
            Format = run?.Format ?? _configuredFormat,
            Clock = clock,
            RunNumber = s.RunNumber + 1,
        };
    });

    /// <summary>Stops the current run (idempotent).</summary>
    public GeneratorSetpoint Stop() => Update(s => s.Running ? s with { Running = false } : s);

    /// <summary>Stops the given run only (by its <see cref="GeneratorSetpoint.RunNumber"/>), so a run that completes cannot stop the run that followed it, even one with the same id.</summary>
    public GeneratorSetpoint Complete(long runNumber) => Update(s => s.Running && s.RunNumber == runNumber ? s with { Running = false } : s);

    /// <summary>Sets a validated rate profile; it applies from now.</summary>
    public GeneratorSetpoint SetProfile(RateProfile profile)
    {
        var problems = RateProfile.Validate(profile, GeneratorOptions.MinEventsPerSecond, MaxEventsPerSecond);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{problems[0].Field}: {problems[0].Message}", nameof(profile));
        }

        return Update(s => s with { Profile = profile, ProfileSince = _time.GetUtcNow() });
    }

    /// <summary>Restricts generation to the users of <paramref name="shards"/> (a fleet member's share); null: every user.</summary>
    public GeneratorSetpoint SetShards(Model.UserShards? shards) => Update(s => ReferenceEquals(s.Shards, shards) ? s : s with { Shards = shards });

    public GeneratorSetpoint SetFaults(FaultSettings faults) => Update(s => s.Faults == faults ? s : s with { Faults = faults });

    private GeneratorSetpoint Update(Func<GeneratorSetpoint, GeneratorSetpoint> change)
    {
        TaskCompletionSource signal;
        GeneratorSetpoint next;
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
        _changedEvent.Set();
        return next;
    }

    /// <summary>
    /// Blocks until the setpoint has moved on from <paramref name="version"/> or <paramref name="timeout"/>
    /// has passed: the generating loop's precise wait on its own thread (one waiter at a time).
    /// </summary>
    public void WaitForChange(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state).Version != version)
        {
            return;
        }

        _changedEvent.Reset();
        // A change between the check and the reset has set the event already: look again.
        if (Volatile.Read(ref _state).Version != version)
        {
            return;
        }

        _changedEvent.Wait(timeout, cancellationToken);
    }

    public void Dispose() => _changedEvent.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
