namespace ClickstreamApi.Generation.Dimensions;

/// <summary>What a dimension message is, for the counts of <see cref="DimensionCounters"/>.</summary>
public enum DimensionMessageKind
{
    /// <summary>A user row of the run's start.</summary>
    User,

    /// <summary>A product row of the run's start.</summary>
    Product,

    /// <summary>A product row with a new price.</summary>
    PriceChange,

    /// <summary>A user row with a new device or country.</summary>
    UserChange,

    /// <summary>A deleted account's tombstone.</summary>
    Deletion,
}
