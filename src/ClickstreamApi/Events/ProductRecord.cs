namespace ClickstreamApi.Events;

/// <summary>
/// A row of the products dimension topic (<c>user_clickstream_products</c> by default), keyed by
/// <see cref="ProductId"/>: the catalogue entry a click's <c>productId</c> (and a checkout's
/// <c>productIds</c>) refers to, with the price the shop charges from <see cref="UpdatedAt"/> on.
/// See docs/events.md, "Dimension topics".
/// </summary>
/// <param name="ProductId">The product, as click events carry it: "1" to "2000".</param>
/// <param name="Name">A readable name (brand and noun of the category), the same in every run.</param>
/// <param name="Category">The catalogue category, as click events carry it.</param>
/// <param name="Price">The price, 2 decimal places, in <paramref name="Currency"/>.</param>
/// <param name="Currency">ISO 4217 currency of the price: always USD (the shop converts for other markets).</param>
/// <param name="UpdatedAt">When this price took effect; also its Kafka timestamp.</param>
public sealed record ProductRecord(
    string ProductId,
    string Name,
    string Category,
    decimal Price,
    string Currency,
    DateTimeOffset UpdatedAt);
