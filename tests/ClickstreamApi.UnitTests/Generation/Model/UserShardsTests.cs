using System.Text;
using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Generation.Model;

public sealed class UserShardsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_key_s_shard_is_its_32_bit_FNV_1a_hash_modulo_the_shard_count()
    {
        // FNV-1a of "42": 2166136261 ^ '4', * 16777619, ^ '2', * 16777619 (mod 2^32) = 2279835011; mod 64 = 3.
        Assert.Equal(3, UserShards.Of("42"u8, 64));
        Assert.Equal((int)(2279835011u % 10), UserShards.Of("42"u8, 10));
    }

    [Fact]
    public void A_population_user_is_owned_by_the_shard_of_its_decimal_id()
    {
        var shards = new UserShards(64, [3, 17, 40]);

        for (var user = 0; user < 5_000; user++)
        {
            Assert.Equal(shards.OwnsKey(Encoding.UTF8.GetBytes((user + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))), shards.OwnsUser(user));
        }

        Assert.Equal([3, 17, 40], shards.Owned);
        Assert.Equal(3, shards.OwnedCount);
        Assert.Equal(3.0 / 64, shards.OwnedShare);
    }

    [Fact]
    public void Shards_split_a_population_about_evenly()
    {
        var counts = new int[64];
        for (var user = 1; user <= 64_000; user++)
        {
            counts[UserShards.Of(Encoding.UTF8.GetBytes(user.ToString(System.Globalization.CultureInfo.InvariantCulture)), 64)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 700, 1_300));
    }

    [Fact]
    public void A_restricted_simulation_generates_only_the_users_and_crawlers_of_its_shards()
    {
        var shards = new UserShards(64, Enumerable.Range(0, 21));
        var simulator = new ClickSimulator(10_000, 0.05, seed: 16);
        simulator.SetRate(1_000);
        simulator.Restrict(shards);

        var keys = Enumerable.Range(1, 30_000).Select(i => simulator.Next("run", i, Start.AddMilliseconds(i)).Key).ToList();

        Assert.All(keys, key => Assert.True(shards.OwnsKey(key), Encoding.UTF8.GetString(key)));
        Assert.Contains(keys, key => Encoding.UTF8.GetString(key).StartsWith("crawler-", StringComparison.Ordinal));
    }

    [Fact]
    public void Restricting_a_running_simulation_ends_the_sessions_of_the_users_it_gave_up_at_once()
    {
        var simulator = new ClickSimulator(10_000, 0.02, seed: 5);
        simulator.SetRate(500);
        var before = Enumerable.Range(1, 20_000).Select(i => simulator.Next("run", i, Start.AddMilliseconds(i)).Key).ToList();
        var kept = new UserShards(64, Enumerable.Range(0, 32));
        Assert.Contains(before, key => !kept.OwnsKey(key));

        simulator.Restrict(kept);
        var after = Enumerable.Range(20_001, 5_000).Select(i => simulator.Next("run", i, Start.AddMilliseconds(i)).Key).ToList();

        Assert.All(after, key => Assert.True(kept.OwnsKey(key), Encoding.UTF8.GetString(key)));
    }

    [Fact]
    public void A_simulation_cannot_own_no_shard()
    {
        var simulator = new ClickSimulator(100, 0, seed: 1);

        Assert.Throws<ArgumentException>(() => simulator.Restrict(new UserShards(64, [])));
    }
}
