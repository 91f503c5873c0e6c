namespace ClickstreamApi.Generation.Model;

/// <summary>A country the shop sells to: its share of visitors and the currency prices are shown in.</summary>
public sealed record Market(string Country, string Currency, decimal UsdRate, int Decimals);

public static class Markets
{
    /// <summary>Visitor shares loosely follow a global web shop's traffic.</summary>
    public static readonly Weighted<Market> ByTraffic = new(
    [
        (new Market("US", "USD", 1m, 2), 30),
        (new Market("GB", "GBP", 0.79m, 2), 8),
        (new Market("DE", "EUR", 0.92m, 2), 8),
        (new Market("FR", "EUR", 0.92m, 2), 6),
        (new Market("IN", "INR", 83m, 2), 9),
        (new Market("BR", "BRL", 5.0m, 2), 6),
        (new Market("CA", "CAD", 1.36m, 2), 5),
        (new Market("JP", "JPY", 150m, 0), 4),
        (new Market("AU", "AUD", 1.52m, 2), 3),
        (new Market("NL", "EUR", 0.92m, 2), 3),
        (new Market("ES", "EUR", 0.92m, 2), 3),
        (new Market("IT", "EUR", 0.92m, 2), 3),
        (new Market("MX", "MXN", 17m, 2), 3),
        (new Market("PL", "PLN", 4.0m, 2), 2),
        (new Market("SE", "SEK", 10.5m, 2), 2),
        (new Market("KR", "KRW", 1330m, 0), 2),
        (new Market("ZA", "ZAR", 18.5m, 2), 1),
        (new Market("SG", "SGD", 1.35m, 2), 1),
        (new Market("IE", "EUR", 0.92m, 2), 1),
    ]);

    public static decimal Convert(decimal usd, Market market) =>
        Math.Round(usd * market.UsdRate, market.Decimals, MidpointRounding.AwayFromZero);
}
