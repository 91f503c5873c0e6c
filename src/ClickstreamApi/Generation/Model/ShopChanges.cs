namespace ClickstreamApi.Generation.Model;

/// <summary>
/// Changes a run's simulation as time passes on the run's clock, at the times of a
/// <see cref="DimensionChangeSchedule"/>: prices in the run's <see cref="PriceList"/>, users' device or
/// country, deleted accounts. What changes is picked with a random stream of its own from the run's
/// seed, so the click events' own random numbers are untouched: with no changes due, the events are
/// the same as without this. Crawlers never change. At most a quarter of the population is deleted;
/// deletions due after that are skipped.
/// </summary>
public sealed class ShopChanges
{
    /// <summary>A price change moves the price by a factor from this range, rounded to .99.</summary>
    public const double MinPriceFactor = 0.8;

    public const double MaxPriceFactor = 1.25;

    private readonly ClickSimulator _simulator;
    private readonly DimensionChangeSchedule _schedule;
    private readonly Random _pick;

    public ShopChanges(ClickSimulator simulator, int seed, DateTimeOffset start, DimensionRates rates)
    {
        _simulator = simulator;
        _schedule = new DimensionChangeSchedule(seed, start, rates);
        _pick = new Random(seed ^ 0x5A0C_4A9E);
        MaxDeletions = simulator.Population.Size / 4;
    }

    /// <summary>The most accounts a run deletes (a quarter of the population).</summary>
    public int MaxDeletions { get; }

    /// <summary>The next change's time; <see cref="DateTimeOffset.MaxValue"/> when nothing will change.</summary>
    public DateTimeOffset NextAt => _schedule.NextAt;

    /// <summary>Makes the next change; null when it was skipped (a deletion beyond <see cref="MaxDeletions"/>).</summary>
    public ShopChange? TakeNext()
    {
        var (kind, at) = _schedule.Take();
        switch (kind)
        {
            case DimensionChangeKind.PriceChange:
                var products = _simulator.Catalog.Products;
                var product = products[_pick.Next(products.Length)];
                _simulator.Prices[product] = NewPrice(_simulator.Prices[product]);
                return new ShopChange(kind, at, -1, product);
            case DimensionChangeKind.UserChange:
                var user = PickLiveUser();
                _simulator.ChangeProfile(user, Changed(_simulator.Profile(user)));
                return new ShopChange(kind, at, user, null);
            default:
                if (_simulator.DeletedUsers >= MaxDeletions)
                {
                    return null;
                }

                var deleted = PickLiveUser();
                _simulator.DeleteUser(deleted);
                return new ShopChange(kind, at, deleted, null);
        }
    }

    private decimal NewPrice(decimal current)
    {
        var factor = MinPriceFactor + ((MaxPriceFactor - MinPriceFactor) * _pick.NextDouble());
        var price = Math.Max(1m, Math.Round(current * (decimal)factor, 0)) - 0.01m;
        // A change is a change: a rounding that lands on the old price moves it by a dollar.
        return price == current ? current + 1m : price;
    }

    /// <summary>Half the changes are a new device (and a browser of it), half a new country.</summary>
    private UserProfile Changed(UserProfile profile)
    {
        if (_pick.NextDouble() < 0.5)
        {
            var device = Devices.ByTraffic.Pick(_pick);
            while (device == profile.Device)
            {
                device = Devices.ByTraffic.Pick(_pick);
            }

            return profile with { Device = device, UserAgent = Devices.UserAgents[device].Pick(_pick) };
        }

        var market = Markets.ByTraffic.Pick(_pick);
        while (market == profile.Market)
        {
            market = Markets.ByTraffic.Pick(_pick);
        }

        return profile with { Market = market };
    }

    private int PickLiveUser()
    {
        // At most a quarter of the users are deleted: a few tries at most.
        var user = _pick.Next(_simulator.Population.Size);
        while (_simulator.IsDeleted(user))
        {
            user = _pick.Next(_simulator.Population.Size);
        }

        return user;
    }
}
