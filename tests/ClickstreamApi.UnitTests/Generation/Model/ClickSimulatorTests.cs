using System.Globalization;
using System.Text;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Generation.Model;

public sealed class ClickSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_sequence_apart_from_ids_and_times()
    {
        var first = Generate(new ClickSimulator(1_000, 0.05, seed: 7), 20_000, rate: 100);
        var second = Generate(new ClickSimulator(1_000, 0.05, seed: 7), 20_000, rate: 100, stepMilliseconds: 3);

        Assert.Equal(first.Select(Shape), second.Select(Shape));
    }

    [Fact]
    public void Different_seeds_give_different_sequences()
    {
        var first = Generate(new ClickSimulator(1_000, 0.05, seed: 7), 500);
        var second = Generate(new ClickSimulator(1_000, 0.05, seed: 8), 500);

        Assert.NotEqual(first.Select(Shape), second.Select(Shape));
    }

    [Fact]
    public void Events_carry_the_run_sequence_time_and_key_they_were_made_with()
    {
        var simulator = new ClickSimulator(100, 0, seed: 1);

        var (clickEvent, key) = simulator.Next("run-9", 17, Start);

        Assert.Equal("run-9", clickEvent.RunId);
        Assert.Equal(17, clickEvent.Seq);
        Assert.Equal(Start, clickEvent.OccurredAt);
        Assert.Equal(2, clickEvent.SchemaVersion);
        Assert.Equal(Encoding.UTF8.GetBytes(clickEvent.UserId), key);
        Assert.Equal(7, clickEvent.EventId.Version);
    }

    [Fact]
    public void Users_keep_their_device_browser_and_country_and_the_browser_matches_the_device()
    {
        var events = Generate(new ClickSimulator(300, 0, seed: 3), 30_000, rate: 50);

        foreach (var user in events.GroupBy(e => e.UserId))
        {
            Assert.Single(user.Select(e => (e.Device, e.UserAgent, e.Country)).Distinct());
        }

        Assert.All(events.Where(e => e.Device == "mobile"), e => Assert.Contains("Mobile", e.UserAgent, StringComparison.Ordinal));
        Assert.All(events.Where(e => e.Device == "desktop"), e => Assert.DoesNotContain("Mobile", e.UserAgent, StringComparison.Ordinal));
        Assert.All(events.Where(e => e.Device == "tablet"), e => Assert.Matches("iPad|SM-X", e.UserAgent!));
        Assert.All(events, e => Assert.InRange(int.Parse(e.UserId, CultureInfo.InvariantCulture), 1, 300));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void The_share_of_crawler_traffic_is_the_configured_one_and_crawlers_say_so_in_their_user_agent(double share)
    {
        var events = Generate(new ClickSimulator(10_000, share, seed: 5), 40_000, rate: 200);

        var crawled = events.Where(e => Devices.IsBot(e.UserAgent)).ToList();
        Assert.InRange(crawled.Count / (double)events.Count, share - 0.015, share + 0.015);
        Assert.All(crawled, e =>
        {
            Assert.StartsWith("crawler-", e.UserId, StringComparison.Ordinal);
            Assert.Equal("page_view", e.EventType);
            Assert.Null(e.Referrer);
            Assert.Null(e.UtmSource);
        });
        Assert.DoesNotContain(events.Where(e => !Devices.IsBot(e.UserAgent)), e => e.UserId.StartsWith("crawler-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_session_belongs_to_one_user_and_a_user_has_one_session_at_a_time()
    {
        var events = Humans(Generate(new ClickSimulator(2_000, 0, seed: 11), 30_000, rate: 100));

        Assert.All(events.GroupBy(e => e.SessionId), session => Assert.Single(session.Select(e => e.UserId).Distinct()));
        foreach (var user in events.GroupBy(e => e.UserId))
        {
            // Sessions of one user do not interleave: once a later session starts, earlier ones are over.
            var order = user.Select(e => e.SessionId).ToList();
            var finished = new HashSet<string?>();
            string? current = null;
            foreach (var session in order)
            {
                Assert.DoesNotContain(session, finished);
                if (session != current && current is not null)
                {
                    finished.Add(current);
                }

                current = session;
            }
        }
    }

    [Fact]
    public void Sessions_enter_from_an_outside_source_and_then_navigate_from_page_to_page()
    {
        var events = Humans(Generate(new ClickSimulator(5_000, 0, seed: 13), 30_000, rate: 100));

        foreach (var session in events.GroupBy(e => e.SessionId))
        {
            var list = session.ToList();
            var landing = list[0];
            Assert.True(landing.Referrer is null || landing.Referrer.StartsWith("https://", StringComparison.Ordinal), landing.Referrer);
            Assert.All(list.Skip(1), e => Assert.Null(e.UtmSource));
            var page = landing.Page;
            foreach (var e in list.Skip(1))
            {
                if (e.EventType is "page_view" or "search" or "checkout" or "purchase")
                {
                    Assert.Equal(page, e.Referrer);
                    page = e.Page;
                }
                else
                {
                    Assert.Equal(page, e.Page);
                }
            }
        }

        var campaigns = events.Where(e => e.UtmMedium is not null).ToList();
        Assert.NotEmpty(campaigns);
        Assert.All(campaigns, e => Assert.NotNull(e.UtmSource));
        Assert.Contains(events, e => e.UtmMedium == "cpc" && e.Referrer == "https://www.google.com/");
        Assert.Contains(events, e => e.UtmMedium == "email" && e.Referrer is null);
    }

    [Fact]
    public void The_purchase_funnel_loses_people_at_every_step_and_orders_add_up()
    {
        var events = Humans(Generate(new ClickSimulator(10_000, 0, seed: 17), 100_000, rate: 500));

        var productViews = events.Count(e => e.EventType == "page_view" && e.Page.StartsWith("/product/", StringComparison.Ordinal));
        var adds = events.Count(e => e.EventType == "add_to_cart");
        var checkouts = events.Count(e => e.EventType == "checkout" && e.Status == 200);
        var purchases = events.Where(e => e.EventType == "purchase" && e.Status == 200).ToList();
        Assert.True(productViews > adds && adds > checkouts && checkouts > purchases.Count && purchases.Count > 0,
            $"views {productViews}, adds {adds}, checkouts {checkouts}, purchases {purchases.Count}");

        var sessions = events.Select(e => e.SessionId).Distinct().Count();
        var converting = purchases.Select(e => e.SessionId).Distinct().Count();
        Assert.InRange(converting / (double)sessions, 0.005, 0.08);

        Assert.All(purchases, p =>
        {
            Assert.StartsWith("o-", p.OrderId, StringComparison.Ordinal);
            Assert.True(p.Amount > 0);
            Assert.NotNull(p.Currency);
            Assert.NotEmpty(p.ProductIds!);
        });
        Assert.All(events.Where(e => e.EventType == "add_to_cart"), a =>
        {
            Assert.InRange(a.Quantity!.Value, 1, 3);
            Assert.True(a.Amount > 0);
            Assert.NotNull(a.ProductId);
        });
        Assert.Equal(purchases.Count, purchases.Select(p => p.OrderId).Distinct().Count());
    }

    [Fact]
    public void Every_event_type_appears_and_errors_are_occasional()
    {
        var events = Generate(new ClickSimulator(10_000, 0.02, seed: 19), 50_000, rate: 200);

        Assert.Equal(["add_to_cart", "checkout", "click", "page_view", "purchase", "search"], events.Select(e => e.EventType).Distinct().Order());
        var errors = events.Count(e => e.Status != 200);
        Assert.InRange(errors / (double)events.Count, 0.001, 0.03);
        Assert.All(events.Where(e => e.Status == 404 && !Devices.IsBot(e.UserAgent)), e => Assert.StartsWith("/product/", e.Page, StringComparison.Ordinal));
        Assert.All(events.Where(e => e.EventType == "search"), e =>
        {
            Assert.NotNull(e.Query);
            Assert.Equal("/search?q=" + e.Query!.Replace(' ', '+'), e.Page);
        });
        Assert.All(events.Where(e => e.EventType == "click"), e => Assert.NotNull(e.Element));
    }

    [Fact]
    public void Visitors_are_new_or_returning_and_a_second_visit_is_returning()
    {
        var events = Humans(Generate(new ClickSimulator(200, 0, seed: 23), 20_000, rate: 5));

        Assert.Contains(events, e => e.VisitorType == "new");
        Assert.Contains(events, e => e.VisitorType == "returning");
        foreach (var user in events.GroupBy(e => e.UserId))
        {
            var visits = user.GroupBy(e => e.SessionId).Select(s => s.First().VisitorType).ToList();
            Assert.All(visits.Skip(1), v => Assert.Equal("returning", v));
        }
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(1, 10)]
    [InlineData(100, 1_000)]
    public void The_number_of_concurrent_sessions_follows_the_rate(double rate, int expected)
    {
        var simulator = new ClickSimulator(100_000, 0, seed: 29);
        simulator.SetRate(rate);

        Generate(simulator, 50_000, rate);

        Assert.InRange(simulator.ActiveSessions, 1, expected);
        Assert.True(simulator.ActiveSessions >= expected * 0.9, $"{simulator.ActiveSessions} sessions at {rate}/s");
    }

    [Fact]
    public void A_session_idle_for_30_minutes_is_over()
    {
        var simulator = new ClickSimulator(1_000, 0, seed: 31);
        simulator.SetRate(0.1);
        var first = simulator.Next("run", 1, Start).Event;
        var sameSessionLater = simulator.Next("run", 2, Start.AddMinutes(29)).Event;
        var afterTimeout = simulator.Next("run", 3, Start.AddMinutes(29 + 31)).Event;

        Assert.NotEqual(afterTimeout.SessionId, sameSessionLater.SessionId);
        Assert.True(first.SessionId == sameSessionLater.SessionId || sameSessionLater.UtmSource is not null || sameSessionLater.Referrer is null || sameSessionLater.Referrer.StartsWith("https://", StringComparison.Ordinal));
    }

    private static List<ClickEvent> Generate(ClickSimulator simulator, int count, double rate = 10, int stepMilliseconds = 1)
    {
        simulator.SetRate(rate);
        return [.. Enumerable.Range(1, count).Select(i => simulator.Next("run", i, Start.AddMilliseconds(i * stepMilliseconds)).Event)];
    }

    private static List<ClickEvent> Humans(List<ClickEvent> events) => [.. events.Where(e => !Devices.IsBot(e.UserAgent))];

    private static string Shape(ClickEvent e) =>
        string.Join('|', e.UserId, e.SessionId, e.EventType, e.Page, e.Referrer, e.Device, e.UserAgent, e.Country, e.VisitorType, e.Status,
            e.Category, e.ProductId, e.Query, e.Element, e.Quantity, e.Amount, e.Currency, e.OrderId,
            e.ProductIds is null ? null : string.Join(',', e.ProductIds), e.UtmSource, e.UtmMedium, e.UtmCampaign);
}
