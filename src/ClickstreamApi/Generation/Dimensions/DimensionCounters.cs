namespace ClickstreamApi.Generation.Dimensions;

/// <summary>Dimension records the current (or last) run handed to the producer, by kind.</summary>
public sealed class DimensionCounters
{
    private long _users;
    private long _products;
    private long _priceChanges;
    private long _userChanges;
    private long _deletions;

    /// <summary>User rows of the run's start (the population and the crawlers).</summary>
    public long Users => Interlocked.Read(ref _users);

    /// <summary>Product rows of the run's start (the catalogue).</summary>
    public long Products => Interlocked.Read(ref _products);

    /// <summary>Product rows with a changed price.</summary>
    public long PriceChanges => Interlocked.Read(ref _priceChanges);

    /// <summary>User rows with a changed device or country.</summary>
    public long UserChanges => Interlocked.Read(ref _userChanges);

    /// <summary>Tombstones of deleted accounts.</summary>
    public long Deletions => Interlocked.Read(ref _deletions);

    internal void Reset()
    {
        Interlocked.Exchange(ref _users, 0);
        Interlocked.Exchange(ref _products, 0);
        Interlocked.Exchange(ref _priceChanges, 0);
        Interlocked.Exchange(ref _userChanges, 0);
        Interlocked.Exchange(ref _deletions, 0);
    }

    internal void Count(DimensionMessageKind kind)
    {
        switch (kind)
        {
            case DimensionMessageKind.User:
                Interlocked.Increment(ref _users);
                break;
            case DimensionMessageKind.Product:
                Interlocked.Increment(ref _products);
                break;
            case DimensionMessageKind.PriceChange:
                Interlocked.Increment(ref _priceChanges);
                break;
            case DimensionMessageKind.UserChange:
                Interlocked.Increment(ref _userChanges);
                break;
            default:
                Interlocked.Increment(ref _deletions);
                break;
        }
    }
}
