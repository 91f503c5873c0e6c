using System.Globalization;

namespace ClickstreamApi.Generation;

/// <summary>The simulated shop's pages, built once so generating an event builds no strings.</summary>
internal static class SiteMap
{
    public const string Home = "/";
    public const string Cart = "/cart";
    public const string Checkout = "/checkout";
    public const string Confirmation = "/checkout/confirmation";

    public static readonly string[] Categories =
        [.. new[] { "electronics", "books", "home", "fashion", "sports", "toys", "beauty", "garden" }.Select(c => "/category/" + c)];

    public static readonly string[] Products =
        [.. Enumerable.Range(1, 500).Select(i => "/product/" + i.ToString(CultureInfo.InvariantCulture))];

    public static readonly string[] Searches =
        [.. new[] { "headphones", "running+shoes", "coffee", "lego", "desk+lamp", "novel", "yoga+mat", "phone+case", "backpack", "sunscreen" }
            .Select(q => "/search?q=" + q)];

    /// <summary>External referrers on session entry; null is direct traffic.</summary>
    public static readonly (string? Referrer, double Weight)[] EntryReferrers =
    [
        (null, 0.35),
        ("https://www.google.com/", 0.40),
        ("https://www.facebook.com/", 0.10),
        ("https://t.co/", 0.05),
        ("https://newsletter.example.com/", 0.10),
    ];

    public static readonly (string Device, double Weight)[] Devices =
    [
        ("desktop", 0.45),
        ("mobile", 0.45),
        ("tablet", 0.10),
    ];

    public enum PageKind
    {
        Home,
        Category,
        Product,
        Search,
        Cart,
        Checkout,
        Confirmation,
    }

    public static PageKind KindOf(string page) => page switch
    {
        Home => PageKind.Home,
        Cart => PageKind.Cart,
        Checkout => PageKind.Checkout,
        Confirmation => PageKind.Confirmation,
        _ when page.StartsWith("/category/", StringComparison.Ordinal) => PageKind.Category,
        _ when page.StartsWith("/product/", StringComparison.Ordinal) => PageKind.Product,
        _ => PageKind.Search,
    };
}
