using System.Text.Json;

namespace ClickstreamApi.Events;

/// <summary>The wire names of the event's fields, pre-encoded once for the reader and the writer.</summary>
internal static class ClickEventFields
{
    public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
    public static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
    public static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    public static readonly JsonEncodedText RunId = JsonEncodedText.Encode("runId");
    public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("userId");
    public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");
    public static readonly JsonEncodedText EventType = JsonEncodedText.Encode("eventType");
    public static readonly JsonEncodedText Page = JsonEncodedText.Encode("page");
    public static readonly JsonEncodedText Referrer = JsonEncodedText.Encode("referrer");
    public static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");
    public static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");
    public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent");
    public static readonly JsonEncodedText Country = JsonEncodedText.Encode("country");
    public static readonly JsonEncodedText VisitorType = JsonEncodedText.Encode("visitorType");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
    public static readonly JsonEncodedText ProductId = JsonEncodedText.Encode("productId");
    public static readonly JsonEncodedText Query = JsonEncodedText.Encode("query");
    public static readonly JsonEncodedText Element = JsonEncodedText.Encode("element");
    public static readonly JsonEncodedText Quantity = JsonEncodedText.Encode("quantity");
    public static readonly JsonEncodedText Amount = JsonEncodedText.Encode("amount");
    public static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency");
    public static readonly JsonEncodedText OrderId = JsonEncodedText.Encode("orderId");
    public static readonly JsonEncodedText ProductIds = JsonEncodedText.Encode("productIds");
    public static readonly JsonEncodedText UtmSource = JsonEncodedText.Encode("utmSource");
    public static readonly JsonEncodedText UtmMedium = JsonEncodedText.Encode("utmMedium");
    public static readonly JsonEncodedText UtmCampaign = JsonEncodedText.Encode("utmCampaign");

    public const int MaxIdLength = 128;
    public const int MaxNameLength = 64;
    public const int MaxUrlLength = 2048;
    public const int MaxTextLength = 512;
    public const int MaxProductIds = 100;
}
