namespace ClickstreamApi.Generation.Model;

/// <summary>Where a session comes from: its referrer and campaign tags, and where it tends to land.</summary>
public sealed record TrafficSource(
    string Name,
    string? Referrer,
    string? UtmSource,
    string? UtmMedium,
    string[] UtmCampaigns,
    double LandHome,
    double LandCategory,
    double LandProduct,
    double LandSearch);

public static class TrafficSources
{
    /// <summary>Shares loosely follow typical e-commerce channel mixes.</summary>
    public static readonly Weighted<TrafficSource> ByTraffic = new(
    [
        (new TrafficSource("direct", null, null, null, [], 0.65, 0.10, 0.15, 0.05), 28),
        (new TrafficSource("organic_google", "https://www.google.com/", null, null, [], 0.25, 0.25, 0.45, 0.05), 26),
        (new TrafficSource("organic_bing", "https://www.bing.com/", null, null, [], 0.25, 0.25, 0.45, 0.05), 3),
        (new TrafficSource("organic_duckduckgo", "https://duckduckgo.com/", null, null, [], 0.25, 0.25, 0.45, 0.05), 2),
        (new TrafficSource("paid_search", "https://www.google.com/", "google", "cpc", ["brand_search", "black_friday_2026", "generic_electronics", "shopping_feed"], 0.10, 0.30, 0.60, 0), 10),
        (new TrafficSource("facebook", "https://www.facebook.com/", "facebook", "social", ["holiday_gifts", "retargeting"], 0.30, 0.10, 0.60, 0), 6),
        (new TrafficSource("instagram", "https://www.instagram.com/", "instagram", "social", ["influencer_drop", "holiday_gifts"], 0.20, 0.10, 0.70, 0), 4),
        (new TrafficSource("tiktok", "https://www.tiktok.com/", "tiktok", "social", ["viral_gadgets"], 0.15, 0.05, 0.80, 0), 3),
        (new TrafficSource("newsletter", null, "newsletter", "email", ["weekly_deals", "abandoned_cart", "new_arrivals"], 0.30, 0.35, 0.35, 0), 8),
        (new TrafficSource("affiliate", "https://www.dealsblog.example/", "dealsblog", "affiliate", ["top_10_gifts", "price_drop"], 0.05, 0.15, 0.80, 0), 5),
        (new TrafficSource("display", "https://ads.example-network.com/", "display_network", "display", ["retargeting", "prospecting"], 0.40, 0.20, 0.40, 0), 5),
    ]);
}
