namespace ClickstreamApi.Events;

/// <summary>The event types of the shop: what the simulator produces, the reader shares strings for and the rate windows count on their own.</summary>
public static class EventTypes
{
    public const string PageView = "page_view";
    public const string Click = "click";
    public const string Search = "search";
    public const string AddToCart = "add_to_cart";
    public const string Checkout = "checkout";
    public const string Purchase = "purchase";

    /// <summary>Every type, browsing first and then down the purchase funnel; schema version 1 had the first two.</summary>
    public static readonly IReadOnlyList<string> All = [PageView, Click, Search, AddToCart, Checkout, Purchase];
}
