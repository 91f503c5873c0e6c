using System.Collections;
using System.Globalization;
using ClickstreamApi.Events;

namespace ClickstreamApi.Generation.Model;

/// <summary>
/// Simulates people (and some crawlers) shopping, one event per call. Sessions run concurrently
/// and interleave; each moves through a Markov model of the shop (home, category, product,
/// search, cart, checkout, purchase, account) with a purchase funnel that loses people at each
/// step. Given the same seed and the same sequence of rate settings, the sequence of events is the
/// same in every run, apart from timestamps and event ids (UUIDv7, made from the clock), and those
/// too when the run is simulated (same times, and event ids seeded from the run's seed).
/// See docs/events.md for the model and its numbers.
/// </summary>
public sealed class ClickSimulator
{
    /// <summary>Mean time between one session's events: with the rate it sets how many sessions run at once.</summary>
    public const double ThinkSeconds = 10;

    /// <summary>A session idle this long has ended (the usual web-analytics session timeout).</summary>
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How many crawler identities there are: users "crawler-1" to "crawler-20".</summary>
    public const int CrawlerIdentities = 20;

    private const int MaxConcurrentSessions = 100_000;
    private const double ClickProbability = 0.15;
    private const double ServerErrorProbability = 0.002;
    private const double MissingProductProbability = 0.008;
    private const double CrawlerExitProbability = 0.04;
    private const double CrawlerMissingPageProbability = 0.03;

    private static readonly Catalog SharedCatalog = new();

    private static readonly byte[][] CrawlerKeys = [.. Enumerable.Range(0, CrawlerIdentities).Select(identity => System.Text.Encoding.UTF8.GetBytes(CrawlerId(identity)))];

    private static readonly string[] AccountPages = ["/account", "/account/orders", "/account/wishlist"];

    private static readonly Dictionary<State, string[]> Elements = new()
    {
        [State.Home] = ["hero_banner", "nav_menu", "featured_product", "newsletter_signup"],
        [State.Category] = ["filter_price", "filter_brand", "sort_menu", "pagination", "product_tile"],
        [State.Product] = ["image_gallery", "size_selector", "color_swatch", "reviews_tab", "shipping_info", "wishlist_button"],
        [State.ProductAdded] = ["mini_cart", "continue_shopping", "recommendations"],
        [State.Search] = ["filter_price", "sort_menu", "pagination", "did_you_mean"],
        [State.Cart] = ["quantity_selector", "remove_item", "promo_code", "continue_shopping"],
        [State.Checkout] = ["shipping_method", "payment_method", "promo_code", "edit_cart"],
        [State.Purchase] = ["order_details", "continue_shopping", "create_account"],
        [State.Account] = ["order_history", "edit_profile", "logout"],
    };

    // The next step from each state. Exit ends the session: the funnel's drop-off.
    private static readonly Dictionary<State, Weighted<Step>> Transitions = new()
    {
        [State.Home] = new([(Step.Category, 35), (Step.Search, 18), (Step.Product, 15), (Step.Account, 5), (Step.Cart, 2), (Step.Exit, 25)]),
        [State.Category] = new([(Step.Product, 55), (Step.Category, 10), (Step.Search, 8), (Step.Home, 5), (Step.Exit, 22)]),
        [State.Search] = new([(Step.Product, 55), (Step.Search, 15), (Step.Category, 5), (Step.Exit, 25)]),
        [State.Product] = new([(Step.AddToCart, 12), (Step.Product, 25), (Step.Category, 12), (Step.Search, 8), (Step.Cart, 4), (Step.Home, 3), (Step.Exit, 36)]),
        [State.ProductAdded] = new([(Step.Cart, 45), (Step.Product, 20), (Step.Category, 10), (Step.Search, 5), (Step.Exit, 20)]),
        [State.Cart] = new([(Step.Checkout, 45), (Step.Product, 15), (Step.Category, 5), (Step.Home, 5), (Step.Exit, 30)]),
        [State.Checkout] = new([(Step.Purchase, 60), (Step.Cart, 10), (Step.Exit, 30)]),
        [State.Purchase] = new([(Step.Home, 10), (Step.Account, 10), (Step.Exit, 80)]),
        [State.Account] = new([(Step.Home, 30), (Step.Category, 10), (Step.Account, 10), (Step.Exit, 50)]),
    };

    private static readonly Weighted<Step> AfterError = new([(Step.Home, 30), (Step.Search, 10), (Step.Exit, 60)]);
    private static readonly Weighted<Step> EmptyCart = new([(Step.Product, 30), (Step.Category, 20), (Step.Home, 20), (Step.Exit, 30)]);
    private static readonly Weighted<int> Quantities = new([(1, 85), (2, 12), (3, 3)]);

    private readonly Catalog _catalog = SharedCatalog;
    private readonly UuidV7 _eventIds;
    private readonly Random _random;
    private readonly Population _population;
    private readonly double _botShare;
    private readonly List<Session> _humans = [];
    private readonly List<Session> _crawlers = [];
    private readonly HashSet<int> _activeUsers = [];
    private readonly BitArray _seenUsers;
    private readonly BitArray _deleted;
    private readonly Dictionary<int, UserProfile> _changedProfiles = [];
    private int _humanSlots = 1;
    private int _crawlerSlots = 1;
    private double _rate = 1;
    private UserShards? _shards;
    private bool _ownsACrawler = true;

    /// <param name="users">Size of the population.</param>
    /// <param name="botShare">Share of crawler events.</param>
    /// <param name="seed">Seed of the behaviour.</param>
    /// <param name="reproducibleIds">Derive event ids from the seed too (simulated runs), not from the OS.</param>
    public ClickSimulator(int users, double botShare, int seed, bool reproducibleIds = false)
    {
        _eventIds = new UuidV7(reproducibleIds ? seed ^ 0x1D5EED : null);
        ArgumentOutOfRangeException.ThrowIfLessThan(botShare, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(botShare, 1);
        _random = new Random(seed);
        _population = new Population(users, seed);
        _seenUsers = new BitArray(users);
        _deleted = new BitArray(users);
        Prices = new PriceList(_catalog);
        _botShare = botShare;
        SetRate(1);
    }

    /// <summary>Sessions running now (humans and crawlers).</summary>
    public int ActiveSessions => _humans.Count + _crawlers.Count;

    /// <summary>The shards whose users this simulation generates (a fleet member's); null: every user.</summary>
    public UserShards? Shards => _shards;

    /// <summary>The users this simulation picks from.</summary>
    public Population Population => _population;

    /// <summary>The shop's catalogue (shared by every run).</summary>
    public Catalog Catalog => _catalog;

    /// <summary>This simulation's prices: the catalogue's until a price changes.</summary>
    public PriceList Prices { get; }

    /// <summary>Users whose account is deleted.</summary>
    public int DeletedUsers { get; private set; }

    /// <summary>The user id of crawler identity <paramref name="identity"/> (0-based): "crawler-1" to "crawler-20".</summary>
    public static string CrawlerId(int identity) => "crawler-" + (identity + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The user agent crawler identity <paramref name="identity"/> (0-based) announces itself with.</summary>
    public static string CrawlerAgent(int identity) => Devices.BotAgents.Items[identity % Devices.BotAgents.Items.Count];

    /// <summary>The market every crawler is counted in.</summary>
    public static Market CrawlerMarket => Markets.ByTraffic.Items[0];

    /// <summary>The user's attributes now: the population's, or what a change made of them.</summary>
    public UserProfile Profile(int user) => _changedProfiles.TryGetValue(user, out var changed) ? changed : _population.Profile(user);

    /// <summary>Changes the user's attributes; they apply from the user's next session.</summary>
    public void ChangeProfile(int user, UserProfile profile) => _changedProfiles[user] = profile;

    public bool IsDeleted(int user) => _deleted[user];

    /// <summary>
    /// Deletes the user's account: the user's session, if one is running, ends now, and the user is
    /// never picked again. False if the account was deleted already.
    /// </summary>
    public bool DeleteUser(int user)
    {
        if (_deleted[user])
        {
            return false;
        }

        _deleted[user] = true;
        DeletedUsers++;
        for (var i = 0; i < _humans.Count; i++)
        {
            if (_humans[i].User == user)
            {
                End(_humans[i]);
                _humans.RemoveAt(i);
                break;
            }
        }

        return true;
    }

    /// <summary>Sizes the pool of concurrent sessions for a rate: about rate x think time of them.</summary>
    public void SetRate(double eventsPerSecond)
    {
        _rate = eventsPerSecond;
        var sessions = Math.Clamp((int)Math.Round(eventsPerSecond * ThinkSeconds), 1, MaxConcurrentSessions);
        // At most half the users this simulation may pick are ever busy (see PickIdleUser).
        var users = _shards is null ? _population.Size : (int)(_population.Size * _shards.OwnedShare);
        _humanSlots = Math.Clamp((int)Math.Round(sessions * (1 - _botShare)), 1, Math.Max(1, users / 2));
        _crawlerSlots = Math.Max(1, (int)Math.Round(sessions * _botShare));
        Shrink(_humans, _humanSlots);
        Shrink(_crawlers, _crawlerSlots);
    }

    /// <summary>
    /// Generates only the users of <paramref name="shards"/> from now on (null: every user), as a fleet
    /// member does: the sessions of users it no longer owns end at once (their new owner starts its own),
    /// and crawler identities are sharded like users. Must own at least one shard.
    /// </summary>
    public void Restrict(UserShards? shards)
    {
        if (shards is { OwnedCount: 0 })
        {
            throw new ArgumentException("A simulation must own at least one shard.", nameof(shards));
        }

        _shards = shards;
        _ownsACrawler = shards is null || CrawlerKeys.Any(key => shards.OwnsKey(key));
        if (shards is not null)
        {
            EndDisowned(_humans, session => shards.OwnsUser(session.User));
            EndDisowned(_crawlers, session => shards.OwnsKey(session.Key));
        }

        SetRate(_rate);
    }

    /// <summary>The next event and its Kafka key (the user id's UTF-8 bytes).</summary>
    public (ClickEvent Event, byte[] Key) Next(string runId, long seq, DateTimeOffset now)
    {
        var crawler = _botShare > 0 && _random.NextDouble() < _botShare && _ownsACrawler;
        var pool = crawler ? _crawlers : _humans;
        var slot = _random.Next(crawler ? _crawlerSlots : _humanSlots);
        Session session;
        Draft draft;
        if (slot >= pool.Count)
        {
            session = crawler ? StartCrawl(now) : StartVisit(now);
            pool.Add(session);
            draft = session.Landing;
        }
        else
        {
            session = pool[slot];
            var expired = now - session.LastAt > SessionTimeout;
            if (expired || !(session.Crawler ? TryCrawl(session, out draft) : TryStep(session, out draft)))
            {
                End(session);
                session = crawler ? StartCrawl(now) : StartVisit(now);
                pool[slot] = session;
                draft = session.Landing;
            }
        }

        session.LastAt = now;
        return (Build(session, draft, runId, seq, now), session.Key);
    }

    private Session StartVisit(DateTimeOffset now)
    {
        var user = PickIdleUser();
        var profile = Profile(user);
        var returning = profile.VisitedBefore || _seenUsers[user];
        _seenUsers[user] = true;
        var source = TrafficSources.ByTraffic.Pick(_random);
        var session = new Session(NewId("s-"), user, _population.Id(user), _population.Key(user), crawler: false)
        {
            Device = profile.Device,
            UserAgent = profile.UserAgent,
            Market = profile.Market,
            VisitorType = returning ? VisitorTypes.Returning : VisitorTypes.New,
            LastAt = now,
        };

        var roll = _random.NextDouble() * (source.LandHome + source.LandCategory + source.LandProduct + source.LandSearch);
        var landing = roll < source.LandHome ? Step.Home
            : roll < source.LandHome + source.LandCategory ? Step.Category
            : roll < source.LandHome + source.LandCategory + source.LandProduct ? Step.Product
            : Step.Search;
        // Ad and social campaigns land on a popular product of a popular category.
        var draft = Navigate(session, landing);
        draft.Referrer = source.Referrer;
        draft.UtmSource = source.UtmSource;
        draft.UtmMedium = source.UtmMedium;
        draft.UtmCampaign = source.UtmCampaigns.Length == 0 ? null : source.UtmCampaigns[_random.Next(source.UtmCampaigns.Length)];
        session.PageReferrer = source.Referrer;
        session.Landing = draft;
        return session;
    }

    private Session StartCrawl(DateTimeOffset now)
    {
        var identity = _random.Next(CrawlerIdentities);
        while (_shards is not null && !_shards.OwnsKey(CrawlerKeys[identity]))
        {
            identity = _random.Next(CrawlerIdentities);
        }

        var session = new Session(NewId("s-"), -1, CrawlerId(identity), CrawlerKeys[identity], crawler: true)
        {
            Device = DeviceTypes.Desktop,
            UserAgent = CrawlerAgent(identity),
            Market = CrawlerMarket,
            VisitorType = VisitorTypes.New,
            LastAt = now,
        };
        TryCrawl(session, out var draft);
        session.Landing = draft;
        return session;
    }

    /// <summary>One step of a person's visit; false when the person leaves.</summary>
    private bool TryStep(Session session, out Draft draft)
    {
        if (!session.LastWasError && _random.NextDouble() < ClickProbability)
        {
            var elements = Elements[session.State];
            draft = Draft.For(session, EventTypes.Click);
            draft.Element = elements[_random.Next(elements.Length)];
            draft.Referrer = session.PageReferrer;
            return true;
        }

        var step = session.LastWasError ? AfterError.Pick(_random)
            : session.State == State.Cart && session.Cart.Count == 0 ? EmptyCart.Pick(_random)
            : Transitions[session.State].Pick(_random);
        if (step == Step.Exit)
        {
            draft = default;
            return false;
        }

        draft = step == Step.AddToCart ? AddToCart(session) : Navigate(session, step);
        return true;
    }

    /// <summary>One page of a crawl: catalogue pages in no particular order, no referrer, no clicks.</summary>
    private bool TryCrawl(Session session, out Draft draft)
    {
        if (session.Events > 0 && _random.NextDouble() < CrawlerExitProbability)
        {
            draft = default;
            return false;
        }

        if (_random.NextDouble() < 0.7)
        {
            var product = _catalog.Products[_random.Next(_catalog.Products.Length)];
            session.MoveTo(State.Product, product.Page, product.Category, product);
        }
        else
        {
            var category = _catalog.Categories[_random.Next(_catalog.Categories.Length)];
            session.MoveTo(State.Category, category.Page, category.Name, null);
        }

        draft = Draft.For(session, EventTypes.PageView);
        draft.Status = _random.NextDouble() < CrawlerMissingPageProbability ? 404 : 200;
        session.Events++;
        return true;
    }

    private Draft Navigate(Session session, Step step)
    {
        var previousPage = session.Page;
        var eventType = EventTypes.PageView;
        string? query = null;
        switch (step)
        {
            case Step.Home:
                session.MoveTo(State.Home, "/", null, null);
                break;
            case Step.Category:
                var category = session.State == State.Product && session.Product is { } current && _random.NextDouble() < 0.6
                    ? _catalog.ByName[current.Category]
                    : _catalog.CategoriesByTraffic.Pick(_random);
                session.MoveTo(State.Category, category.Page, category.Name, null);
                break;
            case Step.Product:
                var product = PickProduct(session);
                session.MoveTo(State.Product, product.Page, product.Category, product);
                break;
            case Step.Search:
                var term = _catalog.Searches.Pick(_random);
                session.MoveTo(State.Search, term.Page, term.Category, null);
                eventType = EventTypes.Search;
                query = term.Query;
                break;
            case Step.Cart:
                session.MoveTo(State.Cart, "/cart", null, null);
                break;
            case Step.Checkout:
                session.MoveTo(State.Checkout, "/checkout", null, null);
                eventType = EventTypes.Checkout;
                break;
            case Step.Purchase:
                session.MoveTo(State.Purchase, "/checkout/confirmation", null, null);
                eventType = EventTypes.Purchase;
                break;
            default:
                session.MoveTo(State.Account, AccountPages[_random.Next(AccountPages.Length)], null, null);
                break;
        }

        session.PageReferrer = previousPage;
        var draft = Draft.For(session, eventType);
        draft.Referrer = previousPage;
        draft.Query = query;
        draft.Status = PageStatus(step);
        session.LastWasError = draft.Status != 200;
        if (session.LastWasError)
        {
            return draft;
        }

        if (step is Step.Checkout or Step.Purchase)
        {
            draft.Amount = CartTotal(session);
            draft.Currency = session.Market!.Currency;
            draft.ProductIds = [.. session.Cart.Select(item => item.Product.Id)];
            if (step == Step.Purchase)
            {
                draft.OrderId = NewId("o-");
                session.Cart.Clear();
            }
        }

        return draft;
    }

    private Draft AddToCart(Session session)
    {
        var product = session.Product!;
        var quantity = Quantities.Pick(_random);
        session.Cart.Add((product, quantity));
        var draft = Draft.For(session, EventTypes.AddToCart);
        draft.Referrer = session.PageReferrer;
        draft.Quantity = quantity;
        draft.Amount = Markets.Convert(Prices[product] * quantity, session.Market!);
        draft.Currency = session.Market!.Currency;
        session.State = State.ProductAdded;
        return draft;
    }

    private Product PickProduct(Session session)
    {
        switch (session.State)
        {
            case State.Category or State.Search when session.Category is { } name:
                return Catalog.PopularProduct(_catalog.ByName[name], _random);
            case State.Product or State.ProductAdded when session.Product is { } current && _random.NextDouble() < 0.8:
                return Catalog.PopularProduct(_catalog.ByName[current.Category], _random);
            case State.Cart when session.Cart.Count > 0:
                return session.Cart[_random.Next(session.Cart.Count)].Product;
            default:
                return Catalog.PopularProduct(_catalog.CategoriesByTraffic.Pick(_random), _random);
        }
    }

    private int PageStatus(Step step)
    {
        var roll = _random.NextDouble();
        return roll < ServerErrorProbability ? 500
            : step == Step.Product && roll < ServerErrorProbability + MissingProductProbability ? 404
            : 200;
    }

    private decimal CartTotal(Session session)
    {
        var usd = 0m;
        foreach (var (product, quantity) in session.Cart)
        {
            usd += Prices[product] * quantity;
        }

        return Markets.Convert(usd, session.Market!);
    }

    private ClickEvent Build(Session session, Draft draft, string runId, long seq, DateTimeOffset now) => new()
    {
        EventId = _eventIds.Create(now),
        SchemaVersion = ClickEvent.CurrentSchemaVersion,
        Seq = seq,
        RunId = runId,
        UserId = session.UserId,
        SessionId = session.Id,
        EventType = draft.EventType,
        Page = draft.Page,
        Referrer = draft.Referrer,
        Device = session.Device,
        OccurredAt = now,
        UserAgent = session.UserAgent,
        Country = session.Market!.Country,
        VisitorType = session.VisitorType,
        Status = draft.Status,
        Category = draft.Category,
        ProductId = draft.ProductId,
        Query = draft.Query,
        Element = draft.Element,
        Quantity = draft.Quantity,
        Amount = draft.Amount,
        Currency = draft.Currency,
        OrderId = draft.OrderId,
        ProductIds = draft.ProductIds,
        UtmSource = draft.UtmSource,
        UtmMedium = draft.UtmMedium,
        UtmCampaign = draft.UtmCampaign,
    };

    private int PickIdleUser()
    {
        // A person has one visit at a time, and a deleted account none. At most half the population is
        // ever busy (see SetRate) and at most a quarter deleted (DimensionChanges), so this takes two
        // to four tries on average.
        // A fleet member owns a share of the users (at least 1/64 of them by default): as many more tries.
        var user = _random.Next(_population.Size);
        while (_deleted[user] || (_shards is not null && !_shards.OwnsUser(user)) || !_activeUsers.Add(user))
        {
            user = _random.Next(_population.Size);
        }

        return user;
    }

    private void End(Session session)
    {
        if (!session.Crawler)
        {
            _activeUsers.Remove(session.User);
        }
    }

    private void EndDisowned(List<Session> pool, Predicate<Session> owned)
    {
        for (var i = pool.Count - 1; i >= 0; i--)
        {
            if (!owned(pool[i]))
            {
                End(pool[i]);
                pool.RemoveAt(i);
            }
        }
    }

    private void Shrink(List<Session> pool, int slots)
    {
        // Sessions beyond the new pool size simply stop: to the model they timed out.
        for (var i = pool.Count - 1; i >= slots; i--)
        {
            End(pool[i]);
            pool.RemoveAt(i);
        }
    }

    private string NewId(string prefix) =>
        prefix + ((ulong)_random.NextInt64()).ToString("x16", CultureInfo.InvariantCulture);

    private enum State
    {
        Home,
        Category,
        Product,
        ProductAdded,
        Search,
        Cart,
        Checkout,
        Purchase,
        Account,
    }

    private enum Step
    {
        Exit,
        Home,
        Category,
        Product,
        AddToCart,
        Search,
        Cart,
        Checkout,
        Purchase,
        Account,
    }

    /// <summary>The event-specific part of the next event, before it is stamped with ids and time.</summary>
    private struct Draft
    {
        public string EventType;
        public string Page;
        public string? Referrer;
        public string? Category;
        public string? ProductId;
        public int Status;
        public string? Query;
        public string? Element;
        public int? Quantity;
        public decimal? Amount;
        public string? Currency;
        public string? OrderId;
        public string[]? ProductIds;
        public string? UtmSource;
        public string? UtmMedium;
        public string? UtmCampaign;

        public static Draft For(Session session, string eventType) => new()
        {
            EventType = eventType,
            Page = session.Page,
            Category = session.Category,
            ProductId = session.Product?.Id,
            Status = 200,
        };
    }

    private sealed class Session(string id, int user, string userId, byte[] key, bool crawler)
    {
        public string Id { get; } = id;

        public int User { get; } = user;

        public string UserId { get; } = userId;

        public byte[] Key { get; } = key;

        public bool Crawler { get; } = crawler;

        public required string Device { get; init; }

        public required string UserAgent { get; init; }

        public Market? Market { get; init; }

        public required string VisitorType { get; init; }

        public DateTimeOffset LastAt { get; set; }

        public State State { get; set; }

        public string Page { get; private set; } = "/";

        public string? PageReferrer { get; set; }

        public string? Category { get; private set; }

        public Product? Product { get; private set; }

        public bool LastWasError { get; set; }

        public int Events { get; set; }

        public Draft Landing { get; set; }

        public List<(Product Product, int Quantity)> Cart { get; } = [];

        public void MoveTo(State state, string page, string? category, Product? product)
        {
            State = state;
            Page = page;
            Category = category;
            Product = product;
        }
    }
}
