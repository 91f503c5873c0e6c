namespace ClickstreamApi.Generation.Model;

/// <summary>One change <see cref="ShopChanges"/> made to a run's simulation.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="At">When, on the run's clock.</param>
/// <param name="User">The user changed or deleted (an index into the population); -1 for a price change.</param>
/// <param name="Product">The product whose price changed; null otherwise.</param>
public readonly record struct ShopChange(DimensionChangeKind Kind, DateTimeOffset At, int User, Product? Product);
