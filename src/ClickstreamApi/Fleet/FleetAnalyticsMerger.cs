using ClickstreamApi.Analytics;

namespace ClickstreamApi.Fleet;

/// <summary>Adds up the consumption parts of members' snapshots (<see cref="FleetConsumption"/>) into <see cref="FleetAnalytics"/> and <see cref="FleetRunSeen"/>.</summary>
public static class FleetAnalyticsMerger
{
    /// <summary>The members of <paramref name="live"/> whose consumers are in <paramref name="groupId"/>, merged; null when none of them has a consumption part.</summary>
    public static FleetAnalytics? Merge(string groupId, IReadOnlyList<FleetSnapshot> live)
    {
        var merged = live.Where(m => m.Consumption?.GroupId == groupId).ToList();
        if (merged.Count == 0)
        {
            return null;
        }

        var consumptions = merged.Select(m => m.Consumption!).ToList();
        var last1m = new HyperLogLog();
        var last5m = new HyperLogLog();
        var sinceStart = LatencyHistogram.Empty();
        var last60s = LatencyHistogram.Empty();
        long unreadable = 0;
        foreach (var consumption in consumptions)
        {
            try
            {
                // All four are read and checked before any is added, so a member is in all of them or in none.
                var latencySinceStart = LatencyHistogram.Decode(consumption.Latency.SinceStart);
                var latencyLast60s = LatencyHistogram.Decode(consumption.Latency.Last60s);
                HyperLogLog.CheckRegisters(consumption.ActiveUsers.Last1m);
                HyperLogLog.CheckRegisters(consumption.ActiveUsers.Last5m);
                last1m.Merge(consumption.ActiveUsers.Last1m);
                last5m.Merge(consumption.ActiveUsers.Last5m);
                sinceStart.Add(latencySinceStart);
                last60s.Add(latencyLast60s);
            }
            catch (FormatException)
            {
                unreadable++;
            }
        }

        return new FleetAnalytics(
            groupId,
            [.. merged.Select(m => m.Member)],
            consumptions.SelectMany(c => c.Partitions).Distinct().Count(),
            consumptions.Max(c => c.TopicPartitions),
            live.Count(m => m.Consumption is { } c && c.GroupId != groupId),
            consumptions.Sum(c => c.Consumed),
            Rates(consumptions.Select(c => c.Rates).ToList()),
            new FleetActiveUsers(last1m.Estimate(), last5m.Estimate(), HyperLogLog.StandardError),
            new FleetLatency(LatencyHistogram.Stats(sinceStart), LatencyHistogram.Stats(last60s)),
            new FleetTopPages(Pages(consumptions.Select(c => c.TopPages.Last1m)), Pages(consumptions.Select(c => c.TopPages.Last5m))),
            Windows(consumptions),
            unreadable);
    }

    /// <summary>
    /// Run <paramref name="runId"/> as the consumers of one group saw it: counts added up, and the seqs none of
    /// them received. Each event is on one partition and each partition is read by one consumer of the group at a
    /// time, so the counts add up; a partition handed over cleanly is committed first. Missing is left unproven
    /// when a consumer that saw the run is gone (lost or left): its last snapshot can be a status interval behind
    /// what it read, and counting those events as missing would report a loss that did not happen.
    /// </summary>
    public static FleetRunSeen? SeenByGroup(string runId, string groupId, IReadOnlyList<FleetSnapshot> live, IEnumerable<FleetSnapshot> gone)
    {
        var seenBy = live.Select(m => (Member: m, Live: true))
            .Concat(gone.Select(m => (Member: m, Live: false)))
            .Where(m => m.Member.Consumption?.GroupId == groupId)
            .Select(m => (m.Member.Member, m.Live, Run: m.Member.Consumption!.Runs.FirstOrDefault(r => r.RunId == runId)))
            .Where(m => m.Run is not null)
            .ToList();
        if (seenBy.Count == 0)
        {
            return null;
        }

        var received = seenBy.Sum(m => m.Run!.Received);
        var maxSeq = seenBy.Max(m => m.Run!.MaxSeq);
        var goneConsumers = seenBy.Where(m => !m.Live).Select(m => m.Member).ToList();
        var unproven = goneConsumers.Count > 0
            ? $"the consumer of {string.Join(", ", goneConsumers)} saw this run and is no longer in the group; its last snapshot may be behind what it read, so gaps cannot be proved from snapshots (read the topic with a consumer of your own, docs/fleet.md)"
            : null;
        return new FleetRunSeen(
            [.. seenBy.Select(m => m.Member).Order(StringComparer.Ordinal)],
            received,
            seenBy.Sum(m => m.Run!.Duplicates),
            maxSeq,
            unproven is null ? Math.Max(0, maxSeq - received) : null,
            unproven);
    }

    private static FleetRates Rates(List<EventRatesSnapshot> rates)
    {
        static RateWindow Sum(IEnumerable<RateWindow> windows) => windows.Aggregate(RateWindow.Zero, (a, b) => new RateWindow(a.Last1s + b.Last1s, a.Last10s + b.Last10s, a.Last60s + b.Last60s));
        var byType = rates.SelectMany(r => r.ByType)
            .GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Sum(g.Select(t => t.Value)), StringComparer.Ordinal);
        return new FleetRates(Sum(rates.Select(r => r.Overall)), byType);
    }

    private static MergedPageCounts Pages(IEnumerable<TopPagesWindow> windows)
    {
        var (total, top, bound) = AddUp(windows.Select(w => (w.Total, w.DistinctPages, w.Top)));
        return new MergedPageCounts(total, top, bound);
    }

    private static List<FleetWindow> Windows(List<FleetConsumption> consumptions) =>
        [.. consumptions.SelectMany(c => c.Windows)
            .GroupBy(w => w.Start)
            .OrderByDescending(g => g.Key)
            .Take(FleetConsumption.SharedWindows)
            .Select(g =>
            {
                var (total, top, bound) = AddUp(g.Select(w => (w.Total, w.DistinctPages, w.TopPages)));
                return new FleetWindow(g.Key, g.First().End, total, top, bound);
            })];

    /// <summary>
    /// Adds up lists of busiest pages. A member that listed all its pages adds its exact counts; one whose list was
    /// cut had no unlisted page above its last listed count, so every sum is at most the sum of those counts short.
    /// </summary>
    private static (long Total, IReadOnlyList<PageCount> Top, long MaxUndercount) AddUp(IEnumerable<(long Total, int DistinctPages, IReadOnlyList<PageCount> Top)> lists)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        long bound = 0;
        foreach (var (listTotal, distinct, top) in lists)
        {
            total += listTotal;
            foreach (var page in top)
            {
                counts[page.Page] = counts.GetValueOrDefault(page.Page) + page.Count;
            }

            if (distinct > top.Count)
            {
                bound += top.Count > 0 ? top[^1].Count : listTotal;
            }
        }

        return (total, TopPageCounts.Select(counts, FleetConsumption.SharedTop), bound);
    }
}
