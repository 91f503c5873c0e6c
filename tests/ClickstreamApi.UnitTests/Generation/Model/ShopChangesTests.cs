using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Generation.Model;

/// <summary>What changes of the dimensions do to a run's click events: prices, users' attributes, deleted accounts.</summary>
public sealed class ShopChangesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_deleted_user_is_never_picked_again_even_when_deleted_in_the_middle_of_a_session()
    {
        var simulator = new ClickSimulator(400, 0.02, seed: 41);
        simulator.SetRate(50);
        var changes = new ShopChanges(simulator, 41, Start, new DimensionRates(0, 0, AccountDeletionsPerHour: 3_600));
        var deletedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var sessionsOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var endedInSession = 0;
        for (var i = 1; i <= 60_000; i++)
        {
            var now = Start.AddMilliseconds(i * 20);
            while (changes.NextAt <= now)
            {
                if (changes.TakeNext() is { Kind: DimensionChangeKind.AccountDeletion } deletion)
                {
                    var userId = simulator.Population.Id(deletion.User);
                    deletedAt[userId] = deletion.At;
                    endedInSession += sessionsOf.ContainsKey(userId) ? 1 : 0;
                }
            }

            var clickEvent = simulator.Next("run", i, now).Event;
            Assert.False(deletedAt.TryGetValue(clickEvent.UserId, out var at), $"user {clickEvent.UserId} clicked at {now:O}, deleted at {at:O}");
            sessionsOf[clickEvent.UserId] = clickEvent.SessionId!;
        }

        // A quarter of the population, then deletions stop.
        Assert.Equal(100, deletedAt.Count);
        Assert.Equal(100, simulator.DeletedUsers);
        Assert.True(endedInSession > 0, "no deleted user had been seen before its deletion");
    }

    [Fact]
    public void Deleting_a_user_ends_the_session_the_user_is_in()
    {
        var simulator = new ClickSimulator(1_000, 0, seed: 43);
        simulator.SetRate(20);
        var first = simulator.Next("run", 1, Start).Event;
        var user = int.Parse(first.UserId, System.Globalization.CultureInfo.InvariantCulture) - 1;

        Assert.True(simulator.DeleteUser(user));
        Assert.False(simulator.DeleteUser(user));
        var later = Enumerable.Range(2, 20_000).Select(i => simulator.Next("run", i, Start.AddSeconds(i)).Event).ToList();

        Assert.DoesNotContain(later, e => e.UserId == first.UserId || e.SessionId == first.SessionId);
    }

    [Fact]
    public void A_price_change_applies_to_later_cart_amounts()
    {
        var simulator = new ClickSimulator(2_000, 0, seed: 47);
        simulator.SetRate(100);
        foreach (var product in simulator.Catalog.Products)
        {
            simulator.Prices[product] = product.PriceUsd + 100m;
        }

        var carts = Enumerable.Range(1, 30_000).Select(i => simulator.Next("run", i, Start.AddMilliseconds(i * 10)).Event)
            .Where(e => e.EventType == EventTypes.AddToCart && e.Currency == "USD")
            .ToList();

        Assert.NotEmpty(carts);
        Assert.All(carts, e => Assert.Equal((simulator.Catalog.Products[int.Parse(e.ProductId!, System.Globalization.CultureInfo.InvariantCulture) - 1].PriceUsd + 100m) * e.Quantity, e.Amount));
        // The catalogue itself, shared by every run, is untouched.
        Assert.Equal(new Catalog().Products.Select(p => p.PriceUsd), simulator.Catalog.Products.Select(p => p.PriceUsd));
    }

    [Fact]
    public void A_users_new_device_or_country_applies_from_the_users_next_session()
    {
        var simulator = new ClickSimulator(300, 0, seed: 53);
        simulator.SetRate(20);
        var first = simulator.Next("run", 1, Start).Event;
        var user = int.Parse(first.UserId, System.Globalization.CultureInfo.InvariantCulture) - 1;
        var before = simulator.Profile(user);
        var device = before.Device == DeviceTypes.Mobile ? DeviceTypes.Tablet : DeviceTypes.Mobile;
        var market = Markets.ByTraffic.Items.First(m => m.Country != before.Market.Country);
        simulator.ChangeProfile(user, before with { Device = device, UserAgent = Devices.UserAgents[device].Items[0], Market = market });

        var events = Enumerable.Range(2, 30_000).Select(i => simulator.Next("run", i, Start.AddSeconds(i)).Event).Where(e => e.UserId == first.UserId).ToList();

        Assert.All(events.Where(e => e.SessionId == first.SessionId), e => Assert.Equal((before.Device, before.Market.Country), (e.Device!, e.Country!)));
        var later = events.Where(e => e.SessionId != first.SessionId).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, e => Assert.Equal((device, market.Country), (e.Device!, e.Country!)));
    }

    [Fact]
    public void Changes_are_the_same_for_the_same_seed_and_leave_the_click_events_alone_while_none_is_due()
    {
        var plain = new ClickSimulator(1_000, 0.05, seed: 59, reproducibleIds: true);
        var withChanges = new ClickSimulator(1_000, 0.05, seed: 59, reproducibleIds: true);
        var changes = new ShopChanges(withChanges, 59, Start, DimensionRates.None);
        plain.SetRate(100);
        withChanges.SetRate(100);
        for (var i = 1; i <= 10_000; i++)
        {
            var now = Start.AddMilliseconds(i * 10);
            Assert.True(changes.NextAt > now);
            Assert.Equal(Shape(plain.Next("run", i, now).Event), Shape(withChanges.Next("run", i, now).Event));
        }

        var rates = new DimensionRates(500, 500, 100);
        var first = new ShopChanges(new ClickSimulator(1_000, 0, seed: 61), 61, Start, rates);
        var second = new ShopChanges(new ClickSimulator(1_000, 0, seed: 61), 61, Start, rates);
        Assert.Equal(
            Enumerable.Range(0, 2_000).Select(_ => first.TakeNext()),
            Enumerable.Range(0, 2_000).Select(_ => second.TakeNext()));
    }

    [Fact]
    public void Crawlers_and_products_have_stable_readable_identities()
    {
        Assert.Equal("crawler-1", ClickSimulator.CrawlerId(0));
        Assert.Equal("crawler-20", ClickSimulator.CrawlerId(ClickSimulator.CrawlerIdentities - 1));
        Assert.All(Enumerable.Range(0, ClickSimulator.CrawlerIdentities), i => Assert.True(Devices.IsBot(ClickSimulator.CrawlerAgent(i))));
        var catalog = new Catalog();
        Assert.Equal(catalog.Products.Select(p => p.Name), new Catalog().Products.Select(p => p.Name));
        Assert.All(catalog.Products, p => Assert.Matches("^[A-Z][A-Za-z0-9&\\- ]+ [0-9]{3}$", p.Name));
        Assert.True(catalog.Products.Select(p => p.Name).Distinct().Count() > catalog.Products.Length * 0.9);
        Assert.All(catalog.Products.Select((p, i) => (p, i)), x => Assert.Equal(x.i, x.p.Index));
    }

    private static string Shape(ClickEvent e) =>
        string.Join('|', e.EventId, e.UserId, e.SessionId, e.EventType, e.Page, e.Device, e.Country, e.ProductId, e.Amount, e.OrderId);
}
