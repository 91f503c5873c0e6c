using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

/// <summary>
/// Steers this member's generator from the fleet's state and the shards this member owns: its share
/// of the fleet's rate (shards owned / shards), only its users, the fleet's faults, and a run of its
/// own while the fleet runs. Giving shards up waits until the generator has let go of their users and
/// everything it made for them is delivered, so a user's events stay in order across the handover.
/// </summary>
public sealed partial class FleetSteering(
    GeneratorControls controls,
    GeneratorCounters counters,
    ClickProducer producer,
    IOptions<GeneratorOptions> generator,
    IOptions<FleetOptions> fleet,
    Kafka.KafkaEnvironment kafka,
    ILogger<FleetSteering> logger)
{
    private static readonly TimeSpan HandoverTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly int _flushSeconds = generator.Value.FlushTimeoutSeconds;
    private FleetState? _state;
    private UserShards? _shards;
    private string? _notJoined;

    /// <summary>This member's name in the fleet (Fleet:MemberName, else host name and HTTP port): its seed is derived from it.</summary>
    public string Member { get; } = string.IsNullOrWhiteSpace(fleet.Value.MemberName) ? kafka.InstanceName : fleet.Value.MemberName;

    /// <summary>The fleet run this member's current (or last) run belongs to.</summary>
    public string? FleetRunId { get; private set; }

    /// <summary>The last fleet command applied here, and how many were.</summary>
    public (string? Id, long Count) LastApplied { get; private set; }

    /// <summary>The shards owned now; null before the first assignment.</summary>
    public UserShards? Shards => _shards;

    /// <summary>
    /// The fleet's state changed: a command was folded in, or (<paramref name="fromHistory"/>) the log as it stood
    /// when this member started. A simulated fleet run already under way then is not joined: this member's part
    /// would start from startAt and write the period again (a member restarted after a backfill would redo it).
    /// </summary>
    public void Apply(FleetState state, bool fromHistory = false)
    {
        lock (_gate)
        {
            if (fromHistory && state is { Running: true, Clock: not null, RunId: { } runId })
            {
                _notJoined = runId;
                LogNotJoined(runId);
            }

            _state = state;
            Steer();
            LastApplied = (state.LastCommandId, state.CommandsApplied);
        }
    }

    /// <summary>
    /// The group gave this member <paramref name="shards"/>. When it has fewer than before, returns once
    /// the generator has dropped the users it lost and their events are delivered (or the time-out passed).
    /// </summary>
    public void Own(UserShards shards)
    {
        lock (_gate)
        {
            var fewer = _shards is not null && _shards.Owned.Except(shards.Owned).Any();
            _shards = shards;
            var version = Steer();
            var rate = TargetRate();
            LogShards(shards.OwnedCount, shards.Count, rate);
            if (fewer && controls.Current.Running)
            {
                AwaitHandover(version);
            }
            else if (fewer)
            {
                producer.Flush(TimeSpan.FromSeconds(_flushSeconds));
            }
        }
    }

    /// <summary>This member's share of the fleet's rate now.</summary>
    public double TargetRate() => _state is { } state && _shards is { OwnedCount: > 0 } shards ? Scale(state.Rate, shards.OwnedShare, controls.MaxEventsPerSecond).EventsPerSecond : 0;

    private long Steer()
    {
        if (_state is not { } state || _shards is not { } shards)
        {
            return controls.Current.Version;
        }

        if (shards.OwnedCount == 0)
        {
            // More members than shards: this one has no users to generate.
            return controls.Stop().Version;
        }

        controls.SetShards(shards);
        controls.SetProfile(Scale(state.Rate, shards.OwnedShare, controls.MaxEventsPerSecond));
        controls.SetFaults(state.Faults);
        var local = controls.Current;
        if (!state.Running)
        {
            return controls.Stop().Version;
        }

        if (local.Running && FleetRunId == state.RunId)
        {
            return local.Version;
        }

        if (state.RunId == _notJoined)
        {
            return controls.Stop().Version;
        }

        // A member's part of a simulated fleet run runs once: it ends by itself at endAt (or was stopped when the
        // member lost every shard), and starting it again would write the period a second time.
        if (FleetRunId == state.RunId && state.Clock is not null)
        {
            return local.Version;
        }

        if (local.Running)
        {
            controls.Stop();
        }

        FleetRunId = state.RunId;
        var started = controls.Start(new RunOptions(Seed: MemberSeed(state.Seed ?? 0, Member), Format: state.Format, Clock: state.Clock));
        LogRunStarted(started.RunId!, state.RunId!);
        return started.Version;
    }

    private void AwaitHandover(long version)
    {
        var deadline = DateTime.UtcNow + HandoverTimeout;
        while (counters.AppliedVersion < version && controls.Current.Running && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        producer.Flush(TimeSpan.FromSeconds(_flushSeconds));
    }

    /// <summary>The member's share of a fleet-wide profile: every rate in it scaled, within the generator's bounds.</summary>
    internal static RateProfile Scale(RateProfile fleet, double share, double maxRate)
    {
        static double Clamp(double rate, double max) => Math.Clamp(rate, GeneratorOptions.MinEventsPerSecond, max);
        return fleet with
        {
            EventsPerSecond = Clamp(fleet.EventsPerSecond * share, maxRate),
            RampFromEventsPerSecond = fleet.RampFromEventsPerSecond is { } from ? from * share : null,
        };
    }

    /// <summary>A member's own seed: the fleet run's, mixed with the member's name, so members' random streams differ and a member replays its part.</summary>
    internal static int MemberSeed(int fleetSeed, string member)
    {
        var hash = (uint)fleetSeed ^ 2166136261u;
        foreach (var c in member)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: this member owns {Owned} of {Shards} shards, its share of the rate is {EventsPerSecond} events/s")]
    private partial void LogShards(int owned, int shards, double eventsPerSecond);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet: simulated fleet run {FleetRunId} was under way when this member started; it does not take part (its part would write the period again) and generates from the next start")]
    private partial void LogNotJoined(string fleetRunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: run {RunId} started as this member's part of fleet run {FleetRunId}")]
    private partial void LogRunStarted(string runId, string fleetRunId);
}
