using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

/// <summary>
/// What this member knows of the fleet, from its two topics: the state the command log adds up to,
/// the commands themselves (for their acknowledgements), and every member's latest snapshot. A member
/// whose snapshots stop for longer than the session time-out without a tombstone is lost, and its
/// last snapshot is kept: it says what the member had in flight when it went.
/// </summary>
public sealed class FleetView(IOptions<FleetOptions> options, IOptions<Generation.GeneratorOptions> generator, TimeProvider time)
{
    private const int CommandsKept = 1000;
    private const int LostMembersKept = 100;

    private readonly Lock _gate = new();
    private readonly TimeSpan _liveness = TimeSpan.FromMilliseconds(options.Value.SessionTimeoutMilliseconds);
    private readonly Dictionary<string, FleetSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _left = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FleetCommand Command, long? Position)> _commands = new(StringComparer.Ordinal);
    private readonly Queue<string> _commandOrder = new();
    private FleetState _state = FleetState.Initial(generator.Value.EventsPerSecond);
    private long _rejected;

    /// <summary>The fleet's state as this member has folded it.</summary>
    public FleetState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Messages on the fleet's topics that were neither a command nor a snapshot, skipped.</summary>
    public long RejectedMessages => Interlocked.Read(ref _rejected);

    /// <summary>The shard count once the topics are found; null before.</summary>
    public int? ShardCount { get; internal set; }

    /// <summary>Why this member cannot take part yet (topics missing), in words; null when it does.</summary>
    public string? Problem { get; internal set; }

    internal FleetState Apply(FleetCommand command)
    {
        lock (_gate)
        {
            _state = _state.Apply(command);
            Keep(command, _state.CommandsApplied);
            return _state;
        }
    }

    /// <summary>This member published <paramref name="command"/>: known at once, its position once it is read back from the log.</summary>
    internal void Published(FleetCommand command)
    {
        lock (_gate)
        {
            if (!_commands.ContainsKey(command.Id))
            {
                Keep(command, null);
            }
        }
    }

    private void Keep(FleetCommand command, long? position)
    {
        if (!_commands.ContainsKey(command.Id))
        {
            _commandOrder.Enqueue(command.Id);
        }

        _commands[command.Id] = (command, position);
        if (_commandOrder.Count > CommandsKept)
        {
            _commands.Remove(_commandOrder.Dequeue());
        }
    }

    internal void Record(FleetSnapshot snapshot)
    {
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(snapshot.Member, out var previous) || previous.At <= snapshot.At)
            {
                _snapshots[snapshot.Member] = snapshot;
                _left.Remove(snapshot.Member);
            }

            var gone = _snapshots.Values.Where(s => _left.Contains(s.Member) || IsLost(s)).OrderBy(s => s.At).ToList();
            for (var i = 0; i < gone.Count - LostMembersKept; i++)
            {
                _snapshots.Remove(gone[i].Member);
                _left.Remove(gone[i].Member);
            }
        }
    }

    /// <summary>A member left cleanly (its tombstone): its last snapshot stays, as a member that left.</summary>
    internal void Remove(string member)
    {
        lock (_gate)
        {
            if (_snapshots.ContainsKey(member))
            {
                _left.Add(member);
            }
        }
    }

    internal void CountRejected() => Interlocked.Increment(ref _rejected);

    /// <summary>The latest snapshot of every live member, by name.</summary>
    public IReadOnlyList<FleetSnapshot> LiveMembers()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.Where(s => !_left.Contains(s.Member) && !IsLost(s)).OrderBy(s => s.Member, StringComparer.Ordinal)];
        }
    }

    /// <summary>The last snapshot of every member that went silent without leaving, newest first.</summary>
    public IReadOnlyList<FleetSnapshot> LostMembers()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.Where(s => !_left.Contains(s.Member) && IsLost(s)).OrderByDescending(s => s.At)];
        }
    }

    /// <summary>The last snapshot of every member that left cleanly, newest first.</summary>
    public IReadOnlyList<FleetSnapshot> LeftMembers()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.Where(s => _left.Contains(s.Member)).OrderByDescending(s => s.At)];
        }
    }

    /// <summary>A command still known (the newest 1,000), and its position in the log (1-based; null until read back).</summary>
    public (FleetCommand Command, long? Position)? Command(string id)
    {
        lock (_gate)
        {
            return _commands.TryGetValue(id, out var found) ? found : null;
        }
    }

    private bool IsLost(FleetSnapshot snapshot) => time.GetUtcNow() - snapshot.At > _liveness;
}
