namespace ClickstreamApi.LoadBench.Service;

// The parts of GET /api/fleet the harness reads, as any HTTP client would declare them.

/// <summary>GET /api/fleet.</summary>
internal sealed record FleetView(bool Enabled, string? Member, int? ShardCount, string? Problem, IReadOnlyList<FleetMemberView> Members, FleetTotalsView Totals, FleetRunView? Run, FleetAnalyticsView? Analytics = null);

/// <summary>Which members' consumers GET /api/fleet added up, and how many partitions they cover.</summary>
internal sealed record FleetAnalyticsView(IReadOnlyList<string> Members, int PartitionsCovered, int TopicPartitions, long Consumed);

internal sealed record FleetMemberView(string Member, IReadOnlyList<int> Shards, bool Running, string? RunId, long RunEvents, double TargetEventsPerSecond, long Queued);

internal sealed record FleetTotalsView(int Members, int ShardsOwned, double TargetEventsPerSecond, double AchievedEventsPerSecond, long Produced, long Delivered, long Failed, long Queued);

/// <summary>Missing and LostInFlight are null when consumers sharing a group cannot prove them (one of them gone).</summary>
internal sealed record FleetRunView(string FleetRunId, long Received, long? Missing, long Duplicates, long? LostInFlight);

/// <summary>A fleet command as published (202 from the fleet's command endpoints).</summary>
internal sealed record FleetCommandView(string Id, IReadOnlyList<string> Acknowledged, IReadOnlyList<string> Pending);
