namespace ClickstreamApi.Analytics;

/// <summary>Events per second over the last complete 1, 10 and 60 seconds.</summary>
public sealed record RateWindow(double Last1s, double Last10s, double Last60s)
{
    public static readonly RateWindow Zero = new(0, 0, 0);
}

/// <summary>Consumption rates overall and per event type, at one moment.</summary>
/// <param name="Overall">All events.</param>
/// <param name="ByType">One entry for each known event type and for <c>other</c>, always all present.</param>
/// <param name="Stale">Events recorded with a time more than a minute before the newest one (or before the start), which no window can hold.</param>
public sealed record EventRatesSnapshot(RateWindow Overall, IReadOnlyDictionary<string, RateWindow> ByType, long Stale);

/// <summary>
/// Consumption rates over the last 1, 10 and 60 seconds, overall and by event type, in one-second
/// buckets counted from <c>startedAt</c>. Event types outside the known six are counted as
/// <c>other</c>, so strings from outside producers cannot grow memory: the structure is a fixed
/// 61 × 7 array of counters. Like <see cref="Generation.RateMeter"/>, windows cover complete
/// seconds only and divide by the seconds elapsed while the structure is younger than the window.
/// Single-threaded: the consumer thread records and takes snapshots; readers get the snapshot.
/// </summary>
public sealed class EventRateWindows(DateTimeOffset startedAt)
{
    /// <summary>The event types counted on their own, in <see cref="EventRatesSnapshot.ByType"/> order; anything else is <c>other</c>.</summary>
    public static readonly IReadOnlyList<string> EventTypes = [.. Events.EventTypes.All, "other"];

    private const int TypeCount = 7;
    private const int OtherType = TypeCount - 1;
    private const int LongestWindow = 60;

    // The longest window plus the second being filled: an older second is stale.
    private const int Slots = LongestWindow + 1;

    private readonly TimeBuckets<long[]> _seconds = new(Slots, TimeSpan.FromSeconds(1), static () => new long[TypeCount], static counts => Array.Clear(counts), startedAt);
    private long _stale;

    /// <summary>Counts one consumed event of <paramref name="eventType"/>.</summary>
    public void Record(string eventType, DateTimeOffset consumedAt)
    {
        // No bucket before the start, or more than the longest window before the newest second.
        if (_seconds.For(consumedAt) is { } counts)
        {
            counts[TypeIndex(eventType)]++;
        }
        else
        {
            _stale++;
        }
    }

    /// <summary>The rates as of <paramref name="now"/>; the second <paramref name="now"/> falls in is not complete, so it is left out.</summary>
    public EventRatesSnapshot Snapshot(DateTimeOffset now)
    {
        var current = _seconds.BucketOf(now);
        Span<long> last1 = stackalloc long[TypeCount];
        Span<long> last10 = stackalloc long[TypeCount];
        Span<long> last60 = stackalloc long[TypeCount];
        foreach (var (age, _, counts) in _seconds.ByAge(current, 1, LongestWindow + 1))
        {
            for (var type = 0; type < TypeCount; type++)
            {
                var count = counts[type];
                last60[type] += count;
                if (age <= 10)
                {
                    last10[type] += count;
                }

                if (age == 1)
                {
                    last1[type] += count;
                }
            }
        }

        var byType = new Dictionary<string, RateWindow>(TypeCount, StringComparer.Ordinal);
        long all1 = 0, all10 = 0, all60 = 0;
        for (var type = 0; type < TypeCount; type++)
        {
            byType[EventTypes[type]] = Rates(current, last1[type], last10[type], last60[type]);
            all1 += last1[type];
            all10 += last10[type];
            all60 += last60[type];
        }

        return new EventRatesSnapshot(Rates(current, all1, all10, all60), byType, _stale);
    }

    private static RateWindow Rates(long completeSeconds, long last1, long last10, long last60) =>
        completeSeconds <= 0
            ? RateWindow.Zero
            : new RateWindow(
                last1,
                last10 / (double)Math.Min(10, completeSeconds),
                last60 / (double)Math.Min(LongestWindow, completeSeconds));

    private static int TypeIndex(string eventType) => eventType switch
    {
        "page_view" => 0,
        "click" => 1,
        "search" => 2,
        "add_to_cart" => 3,
        "checkout" => 4,
        "purchase" => 5,
        _ => OtherType,
    };
}
