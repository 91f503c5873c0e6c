using ClickstreamApi.Analytics;

namespace ClickstreamApi.Fleet;

/// <summary>
/// A fleet run: each member writes a run of its own (its own runId, seq from 1), so a consumer proves
/// the whole fleet's output gap-free and duplicate-free run by run. What a lost member had in flight
/// shows as the gaps of its run, counted by the consumer, not guessed.
/// </summary>
/// <param name="FleetRunId">The fleet run (the id of the start command).</param>
/// <param name="Parts">Every member's run in it: live, lost (silent without leaving) or left.</param>
/// <param name="SeenBy">Who counted: <c>this member's consumer</c> (it reads the whole topic in a group of its own), or <c>consumer group &lt;id&gt;</c> (members that share one, Fleet:ShareConsumerGroup, added up).</param>
/// <param name="Received">Distinct events of these runs received.</param>
/// <param name="Missing">Seqs missing below the highest seen, over these runs (while running: also events in flight); null when a shared group cannot prove it (see the parts' <c>seenByGroup.unproven</c>).</param>
/// <param name="Duplicates">Events received more than once.</param>
/// <param name="LostInFlight">The missing seqs of the lost members' runs: what they had in flight when they went, counted; null when not proved.</param>
public sealed record FleetRunStatus(string FleetRunId, IReadOnlyList<FleetRunPart> Parts, string SeenBy, long Received, long? Missing, long Duplicates, long? LostInFlight);

/// <summary>One member's run in a fleet run.</summary>
/// <param name="Member">The member.</param>
/// <param name="Status">live, lost or left.</param>
/// <param name="RunId">The member's run (the runId of its events).</param>
/// <param name="RunEvents">Events the run had handed to Kafka by the member's last snapshot.</param>
/// <param name="QueuedAtLastSnapshot">Messages the member had in flight at its last snapshot.</param>
/// <param name="LastSnapshotAt">When that snapshot was taken.</param>
/// <param name="SeenHere">The run's integrity as this member's consumer counts it; null if it has seen none of it. The whole run only when the consumer reads the whole topic (a group of its own); in a shared group see <paramref name="SeenByGroup"/>.</param>
/// <param name="SeenByGroup">The run as the consumers of this member's shared consumer group saw it, added up; null when the members' consumers do not share a group.</param>
public sealed record FleetRunPart(string Member, string Status, string RunId, long RunEvents, long QueuedAtLastSnapshot, DateTimeOffset LastSnapshotAt, RunSnapshot? SeenHere, FleetRunSeen? SeenByGroup = null);

/// <summary>Puts a fleet run's parts together from the members' snapshots and this member's integrity counts.</summary>
public static class FleetRunReport
{
    /// <summary>
    /// The current (or last) fleet run as this member sees it: every member's part, counted by this member's
    /// consumer when it reads the whole topic, else added up over the consumer group it shares; null before the first start.
    /// </summary>
    public static FleetRunStatus? Of(FleetView view, string me, string groupId, IReadOnlyList<FleetSnapshot> live, RunIntegritySnapshot integrity)
    {
        if (view.State.RunId is not { } fleetRunId)
        {
            return null;
        }

        var lost = view.LostMembers();
        var left = view.LeftMembers();
        var gone = lost.Concat(left).ToList();

        // Another member's consumer in this member's group: each read some partitions, and only their sum is the run.
        var shared = live.Concat(gone).Any(m => m.Member != me && m.Consumption?.GroupId == groupId);
        var seen = integrity.Runs.Concat(integrity.Retired).GroupBy(r => r.RunId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var parts = live.Select(s => (Snapshot: s, Status: "live"))
            .Concat(lost.Select(s => (Snapshot: s, Status: "lost")))
            .Concat(left.Select(s => (Snapshot: s, Status: "left")))
            .Where(p => p.Snapshot.FleetRunId == fleetRunId && p.Snapshot.RunId is not null)
            .Select(p => new FleetRunPart(
                p.Snapshot.Member,
                p.Status,
                p.Snapshot.RunId!,
                p.Snapshot.RunEvents,
                p.Snapshot.Queued,
                p.Snapshot.At,
                seen.GetValueOrDefault(p.Snapshot.RunId!),
                shared ? FleetAnalyticsMerger.SeenByGroup(p.Snapshot.RunId!, groupId, live, gone) : null))
            .OrderBy(p => p.Member, StringComparer.Ordinal)
            .ToList();

        // Whose counts: the group's sums when it is shared (missing may be unproven there), else this member's consumer's.
        Func<FleetRunPart, (long Received, long? Missing, long Duplicates)> counts = shared
            ? p => p.SeenByGroup is { } group ? (group.Received, group.Missing, group.Duplicates) : (0, 0, 0)
            : p => p.SeenHere is { } here ? (here.Received, here.Missing, here.Duplicates) : (0, 0, 0);
        long? Missing(IEnumerable<FleetRunPart> of) => of.Select(p => counts(p).Missing).Aggregate((long?)0, (sum, missing) => sum + missing);
        return new FleetRunStatus(
            fleetRunId,
            parts,
            shared ? "consumer group " + groupId : "this member's consumer",
            parts.Sum(p => counts(p).Received),
            Missing(parts),
            parts.Sum(p => counts(p).Duplicates),
            Missing(parts.Where(p => p.Status == "lost")));
    }
}
