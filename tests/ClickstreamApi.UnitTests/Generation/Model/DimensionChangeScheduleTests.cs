using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Generation.Model;

public sealed class DimensionChangeScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DimensionRates Rates = new(PriceChangesPerHour: 600, UserChangesPerHour: 300, AccountDeletionsPerHour: 60);

    [Fact]
    public void The_same_seed_start_and_rates_give_the_same_changes_at_the_same_times()
    {
        Assert.Equal(Take(new DimensionChangeSchedule(5, Start, Rates), 2_000), Take(new DimensionChangeSchedule(5, Start, Rates), 2_000));
        Assert.NotEqual(Take(new DimensionChangeSchedule(5, Start, Rates), 200), Take(new DimensionChangeSchedule(6, Start, Rates), 200));
    }

    [Fact]
    public void Changes_come_in_time_order_after_the_start_on_whole_milliseconds()
    {
        var start = Start.AddTicks(1234);
        var changes = Take(new DimensionChangeSchedule(7, start, Rates), 5_000);

        Assert.True(changes[0].At > start);
        Assert.All(changes.Zip(changes.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At, $"{pair.First} before {pair.Second}"));
        Assert.All(changes, change => Assert.Equal(0, change.At.UtcTicks % TimeSpan.TicksPerMillisecond));
    }

    [Fact]
    public void Each_kind_happens_about_as_often_as_its_rate_says_on_the_runs_clock()
    {
        var schedule = new DimensionChangeSchedule(11, Start, Rates);
        var end = Start.AddHours(100);
        var counts = new Dictionary<DimensionChangeKind, int>();
        while (schedule.NextAt < end)
        {
            var (kind, _) = schedule.Take();
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        // Poisson counts: within about four standard deviations of rate x 100 hours.
        Assert.InRange(counts[DimensionChangeKind.PriceChange], 60_000 - 1_000, 60_000 + 1_000);
        Assert.InRange(counts[DimensionChangeKind.UserChange], 30_000 - 700, 30_000 + 700);
        Assert.InRange(counts[DimensionChangeKind.AccountDeletion], 6_000 - 320, 6_000 + 320);
    }

    [Fact]
    public void A_kind_at_rate_zero_never_happens_and_with_no_rates_nothing_is_due()
    {
        var changes = Take(new DimensionChangeSchedule(3, Start, Rates with { UserChangesPerHour = 0 }), 3_000);

        Assert.DoesNotContain(changes, change => change.Kind == DimensionChangeKind.UserChange);
        var none = new DimensionChangeSchedule(3, Start, DimensionRates.None);
        Assert.Equal(DateTimeOffset.MaxValue, none.NextAt);
        Assert.Throws<InvalidOperationException>(() => none.Take());
    }

    [Fact]
    public void One_kinds_rate_does_not_move_the_times_of_another_kind()
    {
        var prices = Take(new DimensionChangeSchedule(9, Start, Rates), 3_000).Where(c => c.Kind == DimensionChangeKind.PriceChange).Take(500);
        var pricesWithMoreDeletions = Take(new DimensionChangeSchedule(9, Start, Rates with { AccountDeletionsPerHour = 5_000 }), 30_000)
            .Where(c => c.Kind == DimensionChangeKind.PriceChange).Take(500);

        Assert.Equal(prices, pricesWithMoreDeletions);
    }

    private static List<(DimensionChangeKind Kind, DateTimeOffset At)> Take(DimensionChangeSchedule schedule, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => schedule.Take())];
}
