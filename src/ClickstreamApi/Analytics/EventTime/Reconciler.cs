namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// Compares a consumer's event-time windows of a run with the generator's truth, window by window
/// and count by count. A consumer reading at least once counts each injected extra copy again, so
/// truth plus the duplicates' own windows is what it should have; any other difference is
/// unexplained, except distinct users the consumer could not tell apart because their events came
/// after the allowed lateness. Windows are compared once both sides are past the allowed lateness; sessions once
/// both sides have ended them.
/// </summary>
public static class Reconciler
{
    public static ReconcileReport Compare(
        RunWindows truth,
        RunWindows duplicates,
        Func<DateTimeOffset, (long Late, long Malformed)> injected,
        long lateInjected,
        long malformedInjected,
        RunWindows? consumer,
        bool includeEqual,
        int limit)
    {
        var listed = new List<WindowReconciliation>();
        int compared = 0, equal = 0, explained = 0, unexplained = 0, open = 0, sessionsPending = 0;
        var truncated = false;

        // The consumer cannot see a run end: once the truth says it has, and the consumer has counted
        // every message of it (each event and each copy), its windows are final too.
        var consumerComplete = truth.Finished && consumer is not null && consumer.Events >= truth.Events + duplicates.Events;

        // A session cut short on either side (too many open at once) may have been counted twice there.
        var sessionsCutShort = truth.SessionsCutShort + (consumer?.SessionsCutShort ?? 0);
        var sessionsComparable = sessionsCutShort == 0;
        foreach (var (t, c) in Merge(truth.Windows(), consumer?.Windows(asIfEnded: consumerComplete) ?? []))
        {
            var start = (t ?? c)!.Start;
            if (!truth.CountsClosed(start) || consumer is null || !(consumerComplete || consumer.CountsClosed(start)))
            {
                open++;
                continue;
            }

            compared++;
            var d = duplicates.Window(start);
            var sessions = sessionsComparable && (t?.Final ?? true) && (c?.Final ?? true);
            if (!sessions)
            {
                sessionsPending++;
            }

            var differences = Differences(t, c, d, sessions);
            var status = differences.Count == 0 ? "equal" : differences.All(x => x.Unexplained == 0) ? "explained" : "unexplained";
            switch (status)
            {
                case "equal":
                    equal++;
                    break;
                case "explained":
                    explained++;
                    break;
                default:
                    unexplained++;
                    break;
            }

            if (status != "equal" || includeEqual)
            {
                if (listed.Count < limit)
                {
                    var (late, malformed) = injected(start);
                    listed.Add(new WindowReconciliation(start, start + truth.WindowLength, status, late, malformed, sessions, differences));
                }
                else
                {
                    truncated = true;
                }
            }
        }

        return new ReconcileReport(
            truth.RunId,
            (int)truth.WindowLength.TotalSeconds,
            truth.Finished,
            consumerComplete,
            consumer?.Watermark,
            new ReconcileSummary(compared, equal, explained, unexplained, open, sessionsPending, sessionsCutShort, truth.Events, consumer?.Events ?? 0, duplicates.Events, lateInjected, malformedInjected),
            listed,
            truncated);
    }

    private static List<FieldDifference> Differences(WindowTotals? t, WindowTotals? c, WindowTotals? d, bool sessions)
    {
        var differences = new List<FieldDifference>();
        Add(differences, "events", null, t?.Events ?? 0, c?.Events ?? 0, d?.Events ?? 0);
        Keyed(differences, "byPage", t?.ByPage, c?.ByPage, d?.ByPage);
        Keyed(differences, "byEventType", t?.ByEventType, c?.ByEventType, d?.ByEventType);
        Add(differences, "purchases", null, t?.Purchases ?? 0, c?.Purchases ?? 0, d?.Purchases ?? 0);
        Keyed(differences, "revenue", t?.Revenue, c?.Revenue, d?.Revenue);

        // Copies of events add no user and no session. Events that came after the allowed lateness
        // are counted, but their users could no longer be told apart: at most that many are missing.
        var truthUsers = t?.DistinctUsers ?? 0;
        var consumerUsers = c?.DistinctUsers ?? 0;
        var lateUsers = consumerUsers < truthUsers ? Math.Min(truthUsers - consumerUsers, c?.AfterLateness ?? 0) : 0;
        Add(differences, "distinctUsers", null, truthUsers, consumerUsers, -lateUsers, "late");
        if (sessions)
        {
            Add(differences, "sessionsStarted", null, t?.SessionsStarted ?? 0, c?.SessionsStarted ?? 0, 0);
            Add(differences, "sessionsEnded", null, t?.SessionsEnded ?? 0, c?.SessionsEnded ?? 0, 0);
        }

        return differences;
    }

    private static void Keyed<T>(List<FieldDifference> differences, string field, IReadOnlyDictionary<string, T>? t, IReadOnlyDictionary<string, T>? c, IReadOnlyDictionary<string, T>? d)
        where T : struct
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        keys.UnionWith(t?.Keys ?? []);
        keys.UnionWith(c?.Keys ?? []);
        foreach (var key in keys)
        {
            Add(differences, field, key, Value(t, key), Value(c, key), Value(d, key));
        }
    }

    private static decimal Value<T>(IReadOnlyDictionary<string, T>? counts, string key)
        where T : struct =>
        counts is not null && counts.TryGetValue(key, out var value) ? Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static void Add(List<FieldDifference> differences, string field, string? key, decimal truth, decimal consumer, decimal explained, string cause = "duplicates")
    {
        if (truth != consumer)
        {
            var difference = consumer - truth;
            differences.Add(new FieldDifference(field, key, truth, consumer, difference, explained, explained == 0 ? null : cause, difference - explained));
        }
    }

    /// <summary>Two window sequences, oldest first, paired by start.</summary>
    private static IEnumerable<(WindowTotals? Truth, WindowTotals? Consumer)> Merge(IEnumerable<WindowTotals> truth, IEnumerable<WindowTotals> consumer)
    {
        using var t = truth.GetEnumerator();
        using var c = consumer.GetEnumerator();
        var hasT = t.MoveNext();
        var hasC = c.MoveNext();
        while (hasT || hasC)
        {
            var order = !hasT ? 1 : !hasC ? -1 : t.Current.Start.CompareTo(c.Current.Start);
            if (order == 0)
            {
                yield return (t.Current, c.Current);
                hasT = t.MoveNext();
                hasC = c.MoveNext();
            }
            else if (order < 0)
            {
                yield return (t.Current, null);
                hasT = t.MoveNext();
            }
            else
            {
                yield return (null, c.Current);
                hasC = c.MoveNext();
            }
        }
    }
}
