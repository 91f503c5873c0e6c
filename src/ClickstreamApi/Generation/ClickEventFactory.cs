using System.Globalization;
using System.Text;
using ClickstreamApi.Events;

namespace ClickstreamApi.Generation;

/// <summary>
/// Schema-version-1 click model: a fixed population of users (each with a stable device) visiting
/// a small shop. A pool of concurrently active sessions is interleaved; each session enters on a
/// typical landing page with an external referrer, moves along simple page transitions (home,
/// category, product, search, cart, checkout) with the previous page as referrer, clicks now and
/// then, and ends after each event with a fixed exit probability or on order confirmation.
/// With a seed, the sequence of users, sessions, pages and event types is reproducible.
/// </summary>
public sealed class ClickEventFactory
{
    private const int MaxSessionLength = 30;
    private const double ExitProbability = 0.15;
    private const double ClickProbability = 0.2;

    private readonly Random _random;
    private readonly string[] _userIds;
    private readonly byte[][] _userKeys;
    private readonly string[] _userDevices;
    private readonly Session?[] _sessions;

    public ClickEventFactory(int users, int? seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        _random = seed is { } s ? new Random(s) : new Random();
        _userIds = new string[users];
        _userKeys = new byte[users][];
        _userDevices = new string[users];
        for (var i = 0; i < users; i++)
        {
            _userIds[i] = (i + 1).ToString(CultureInfo.InvariantCulture);
            _userKeys[i] = Encoding.UTF8.GetBytes(_userIds[i]);
            _userDevices[i] = Pick(SiteMap.Devices);
        }

        // Roughly one active session per 50 users, so users come back in new sessions.
        _sessions = new Session?[Math.Clamp(users / 50, 1, 1000)];
    }

    /// <summary>The next event of the simulation and its Kafka key (the user id's UTF-8 bytes, shared).</summary>
    public (ClickEvent Event, byte[] Key) Next(string runId, long seq, DateTimeOffset occurredAt)
    {
        var slot = _random.Next(_sessions.Length);
        var session = _sessions[slot];
        string eventType;
        string page;
        string? referrer;
        if (session is null)
        {
            session = StartSession();
            _sessions[slot] = session;
            eventType = "page_view";
            page = session.Page;
            referrer = session.EntryReferrer;
        }
        else if (_random.NextDouble() < ClickProbability)
        {
            eventType = "click";
            page = session.Page;
            referrer = session.Referrer;
        }
        else
        {
            referrer = session.Page;
            page = NextPage(session.Page);
            eventType = "page_view";
            session.Referrer = referrer;
            session.Page = page;
        }

        session.Events++;
        if (page == SiteMap.Confirmation || session.Events >= MaxSessionLength || _random.NextDouble() < ExitProbability)
        {
            _sessions[slot] = null;
        }

        var clickEvent = new ClickEvent
        {
            EventId = Guid.CreateVersion7(occurredAt),
            SchemaVersion = ClickEvent.CurrentSchemaVersion,
            Seq = seq,
            RunId = runId,
            UserId = _userIds[session.User],
            SessionId = session.Id,
            EventType = eventType,
            Page = page,
            Referrer = referrer,
            Device = _userDevices[session.User],
            OccurredAt = occurredAt,
        };
        return (clickEvent, _userKeys[session.User]);
    }

    private Session StartSession()
    {
        var user = _random.Next(_userIds.Length);
        var id = "s-" + ((ulong)_random.NextInt64()).ToString("x16", CultureInfo.InvariantCulture);
        var entry = _random.NextDouble() switch
        {
            < 0.40 => SiteMap.Home,
            < 0.60 => PickFrom(SiteMap.Categories),
            < 0.85 => PickFrom(SiteMap.Products),
            _ => PickFrom(SiteMap.Searches),
        };
        var referrer = Pick(SiteMap.EntryReferrers);
        return new Session(user, id, entry, referrer);
    }

    private string NextPage(string current)
    {
        var roll = _random.NextDouble();
        return SiteMap.KindOf(current) switch
        {
            SiteMap.PageKind.Home => roll switch
            {
                < 0.50 => PickFrom(SiteMap.Categories),
                < 0.70 => PickFrom(SiteMap.Searches),
                _ => PickFrom(SiteMap.Products),
            },
            SiteMap.PageKind.Category => roll switch
            {
                < 0.70 => PickFrom(SiteMap.Products),
                < 0.85 => PickFrom(SiteMap.Categories),
                _ => SiteMap.Home,
            },
            SiteMap.PageKind.Product => roll switch
            {
                < 0.30 => PickFrom(SiteMap.Products),
                < 0.50 => PickFrom(SiteMap.Categories),
                < 0.75 => SiteMap.Cart,
                _ => PickFrom(SiteMap.Searches),
            },
            SiteMap.PageKind.Search => roll < 0.70 ? PickFrom(SiteMap.Products) : PickFrom(SiteMap.Searches),
            SiteMap.PageKind.Cart => roll < 0.50 ? SiteMap.Checkout : PickFrom(SiteMap.Products),
            SiteMap.PageKind.Checkout => roll < 0.60 ? SiteMap.Confirmation : SiteMap.Cart,
            _ => SiteMap.Home,
        };
    }

    private string PickFrom(string[] values) => values[_random.Next(values.Length)];

    private T Pick<T>((T Value, double Weight)[] weighted)
    {
        var roll = _random.NextDouble();
        foreach (var (value, weight) in weighted)
        {
            roll -= weight;
            if (roll < 0)
            {
                return value;
            }
        }

        return weighted[^1].Value;
    }

    private sealed class Session(int user, string id, string page, string? entryReferrer)
    {
        public int User { get; } = user;

        public string Id { get; } = id;

        public string? EntryReferrer { get; } = entryReferrer;

        public string Page { get; set; } = page;

        public string? Referrer { get; set; } = entryReferrer;

        public int Events { get; set; }
    }
}
