using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>The generator's runtime state at one moment.</summary>
/// <param name="Running">Whether events are being generated.</param>
/// <param name="Profile">The rate profile (constant, poisson, burst or ramp) and its parameters.</param>
/// <param name="ProfileSince">When the profile was set: profiles such as ramp and burst run on their own clock from then.</param>
/// <param name="RunId">The current (or last) run; a run begins with each start.</param>
/// <param name="RunStartedAt">When the current (or last) run began.</param>
/// <param name="Seed">The current (or last) run's seed; passing it to a new run replays the same events.</param>
/// <param name="MaxEvents">When set, the run stops by itself after this many events are delivered.</param>
/// <param name="Faults">Test-data faults to inject.</param>
/// <param name="Version">Bumped on every change so the loop can tell what changed.</param>
public sealed record GeneratorState(
    bool Running,
    RateProfile Profile,
    DateTimeOffset ProfileSince,
    string? RunId,
    DateTimeOffset? RunStartedAt,
    int? Seed,
    long? MaxEvents,
    FaultSettings Faults,
    long Version);

/// <summary>What a new run should do.</summary>
/// <param name="MaxEvents">Stop by itself after this many delivered events.</param>
/// <param name="Seed">Seed of the simulation (else Generator:Seed, else random).</param>
public sealed record RunOptions(long? MaxEvents = null, int? Seed = null);

/// <summary>
/// Runtime control of the generator (start, stop, rate profile, faults), separate from
/// configuration. Thread-safe; the generating loop waits on <see cref="Changed"/> to react at once.
/// </summary>
public sealed class GeneratorController
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int? _configuredSeed;
    private GeneratorState _state;
    private TaskCompletionSource _changed = NewSignal();

    public GeneratorController(IOptions<GeneratorOptions> options, TimeProvider time)
    {
        _time = time;
        _configuredSeed = options.Value.Seed;
        MaxEventsPerSecond = options.Value.MaxEventsPerSecond;
        _state = new GeneratorState(
            false,
            RateProfile.Constant(options.Value.EventsPerSecond),
            time.GetUtcNow(),
            null,
            null,
            null,
            null,
            FaultSettings.None,
            0);
    }

    public double MaxEventsPerSecond { get; }

    public GeneratorState Current => Volatile.Read(ref _state);

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
    public GeneratorState Start(RunOptions? run = null) => Update(s => s.Running
        ? s
        : s with
        {
            Running = true,
            RunId = Guid.CreateVersion7(_time.GetUtcNow()).ToString(),
            RunStartedAt = _time.GetUtcNow(),
            Seed = run?.Seed ?? _configuredSeed ?? Random.Shared.Next(),
            MaxEvents = run?.MaxEvents,
        });

    /// <summary>Stops the current run (idempotent).</summary>
    public GeneratorState Stop() => Update(s => s.Running ? s with { Running = false } : s);

    /// <summary>Stops the given run only, so a run that completes cannot stop the run that followed it.</summary>
    public GeneratorState Complete(string runId) => Update(s => s.Running && s.RunId == runId ? s with { Running = false } : s);

    /// <summary>Sets a validated rate profile; it applies from now.</summary>
    public GeneratorState SetProfile(RateProfile profile)
    {
        var problems = RateProfile.Validate(profile, GeneratorOptions.MinEventsPerSecond, MaxEventsPerSecond);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{problems[0].Field}: {problems[0].Message}", nameof(profile));
        }

        return Update(s => s with { Profile = profile, ProfileSince = _time.GetUtcNow() });
    }

    /// <summary>Sets a constant rate (the original contract of <c>PUT /api/generator/rate</c>).</summary>
    public GeneratorState SetRate(double eventsPerSecond)
    {
        if (!double.IsFinite(eventsPerSecond) || eventsPerSecond < GeneratorOptions.MinEventsPerSecond || eventsPerSecond > MaxEventsPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(eventsPerSecond), eventsPerSecond, "The rate is outside the allowed range.");
        }

        var profile = RateProfile.Constant(eventsPerSecond);
        return Update(s => s.Profile == profile ? s : s with { Profile = profile, ProfileSince = _time.GetUtcNow() });
    }

    public GeneratorState SetFaults(FaultSettings faults) => Update(s => s.Faults == faults ? s : s with { Faults = faults });

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
