using System.Text;
using ClickstreamApi.Events;
using ClickstreamApi.Generation;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class ClickEventFactoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_sequence_of_users_sessions_pages_and_event_types()
    {
        var first = Generate(new ClickEventFactory(1_000, seed: 7), 2_000);
        var second = Generate(new ClickEventFactory(1_000, seed: 7), 2_000);

        Assert.Equal(first.Select(Shape), second.Select(Shape));
    }

    [Fact]
    public void Different_seeds_give_different_sequences()
    {
        var first = Generate(new ClickEventFactory(1_000, seed: 7), 200);
        var second = Generate(new ClickEventFactory(1_000, seed: 8), 200);

        Assert.NotEqual(first.Select(Shape), second.Select(Shape));
    }

    [Fact]
    public void Events_carry_the_run_sequence_and_time_they_were_made_with()
    {
        var factory = new ClickEventFactory(100, seed: 1);

        var (clickEvent, key) = factory.Next("run-9", 17, Start);

        Assert.Equal("run-9", clickEvent.RunId);
        Assert.Equal(17, clickEvent.Seq);
        Assert.Equal(Start, clickEvent.OccurredAt);
        Assert.Equal(ClickEvent.CurrentSchemaVersion, clickEvent.SchemaVersion);
        Assert.Equal(Encoding.UTF8.GetBytes(clickEvent.UserId), key);
        Assert.Equal(7, clickEvent.EventId.Version);
    }

    [Fact]
    public void Users_keep_their_device_and_sessions_keep_their_user()
    {
        var events = Generate(new ClickEventFactory(500, seed: 3), 5_000);

        Assert.All(events.GroupBy(e => e.UserId), user => Assert.Single(user.Select(e => e.Device).Distinct()));
        Assert.All(events.GroupBy(e => e.SessionId), session => Assert.Single(session.Select(e => e.UserId).Distinct()));
        Assert.All(events, e => Assert.InRange(int.Parse(e.UserId, System.Globalization.CultureInfo.InvariantCulture), 1, 500));
    }

    [Fact]
    public void Within_a_session_each_page_view_is_referred_by_the_previous_page()
    {
        var events = Generate(new ClickEventFactory(500, seed: 5), 5_000);

        foreach (var session in events.GroupBy(e => e.SessionId))
        {
            var views = session.Where(e => e.EventType == "page_view").ToList();
            Assert.True(views[0].Referrer is null || views[0].Referrer!.StartsWith("https://", StringComparison.Ordinal));
            for (var i = 1; i < views.Count; i++)
            {
                Assert.Equal(views[i - 1].Page, views[i].Referrer);
            }
        }
    }

    [Fact]
    public void The_mix_looks_like_browsing_a_shop()
    {
        var events = Generate(new ClickEventFactory(10_000, seed: 11), 20_000);

        var types = events.GroupBy(e => e.EventType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["click", "page_view"], types.Keys.Order());
        Assert.InRange(types["page_view"] / (double)events.Count, 0.6, 0.95);
        Assert.Contains(events, e => e.Page == "/checkout/confirmation");
        Assert.Contains(events, e => e.Page.StartsWith("/product/", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Referrer is null);
        Assert.InRange(events.Select(e => e.SessionId).Distinct().Count(), 1_000, 10_000);
    }

    private static List<ClickEvent> Generate(ClickEventFactory factory, int count) =>
        [.. Enumerable.Range(1, count).Select(i => factory.Next("run", i, Start.AddMilliseconds(i)).Event)];

    private static string Shape(ClickEvent e) => $"{e.UserId}|{e.SessionId}|{e.EventType}|{e.Page}|{e.Referrer}|{e.Device}";
}
