namespace ClickstreamApi.Generation.Model;

/// <summary>
/// One run's prices, in USD, starting from the catalogue's: a run that changes a price changes it
/// here, for its own later add_to_cart, checkout and purchase amounts, while <see cref="Catalog"/>
/// stays shared and unchanged.
/// </summary>
public sealed class PriceList
{
    private readonly decimal[] _usd;

    public PriceList(Catalog catalog)
    {
        _usd = new decimal[catalog.Products.Length];
        foreach (var product in catalog.Products)
        {
            _usd[product.Index] = product.PriceUsd;
        }
    }

    /// <summary>The product's current price in USD.</summary>
    public decimal this[Product product]
    {
        get => _usd[product.Index];
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.01m);
            _usd[product.Index] = value;
        }
    }
}
