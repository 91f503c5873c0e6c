using Kind = ClickstreamApi.Events.EventFieldKind;

namespace ClickstreamApi.Events;

/// <summary>
/// The event contract, declared once: every field of <see cref="ClickEvent"/> as it is on the topic, in
/// the order the writer writes them. The writer (<see cref="ClickEventSerializer"/>) and the reader
/// (<see cref="ClickEventReader"/>: names, limits, rejection reasons) are built from this list; unit tests
/// hold <see cref="ClickEvent"/>, schemas/click-event.schema.json and the field table of docs/events.md to
/// it, so a field added here and nowhere else (or anywhere else and not here) fails the build's tests.
/// </summary>
public static class ClickEventFields
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 64;
    public const int MaxUrlLength = 2048;
    public const int MaxTextLength = 512;
    public const int MaxProductIds = 100;

    // Declared before the fields: each declaration below appends to it, so the list is in declaration order.
    private static readonly List<EventField> Declared = [];

    public static readonly EventField EventId = Declare(new("eventId", nameof(ClickEvent.EventId), Kind.Uuid) { Required = true });
    public static readonly EventField SchemaVersion = Declare(new("schemaVersion", nameof(ClickEvent.SchemaVersion), Kind.WholeNumber) { Minimum = 1, Maximum = int.MaxValue });
    public static readonly EventField Seq = Declare(new("seq", nameof(ClickEvent.Seq), Kind.WholeNumber) { Nullable = true, Minimum = 0 });
    public static readonly EventField RunId = Declare(Text("runId", nameof(ClickEvent.RunId), MaxIdLength) with { Nullable = true, Pooled = true });
    public static readonly EventField UserId = Declare(Text("userId", nameof(ClickEvent.UserId), MaxIdLength) with { Required = true });
    public static readonly EventField SessionId = Declare(Text("sessionId", nameof(ClickEvent.SessionId), MaxIdLength) with { Nullable = true });
    public static readonly EventField EventType = Declare(Text("eventType", nameof(ClickEvent.EventType), MaxNameLength) with { Required = true, KnownValues = EventTypes.All });
    public static readonly EventField Page = Declare(Text("page", nameof(ClickEvent.Page), MaxUrlLength) with { Required = true, Pooled = true });

    // Always written: null says "direct traffic" rather than "unknown".
    public static readonly EventField Referrer = Declare(Text("referrer", nameof(ClickEvent.Referrer), MaxUrlLength) with { Nullable = true, WrittenWhenNull = true, Pooled = true });
    public static readonly EventField Device = Declare(Text("device", nameof(ClickEvent.Device), MaxNameLength) with { Nullable = true, KnownValues = DeviceTypes.All });
    public static readonly EventField OccurredAt = Declare(new("occurredAt", nameof(ClickEvent.OccurredAt), Kind.Timestamp) { Required = true });
    public static readonly EventField UserAgent = Declare(Text("userAgent", nameof(ClickEvent.UserAgent), MaxTextLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField Country = Declare(Text("country", nameof(ClickEvent.Country), MaxNameLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField VisitorType = Declare(Text("visitorType", nameof(ClickEvent.VisitorType), MaxNameLength) with { Since = 2, Nullable = true, KnownValues = VisitorTypes.All });
    public static readonly EventField Status = Declare(new("status", nameof(ClickEvent.Status), Kind.WholeNumber) { Since = 2, Nullable = true, Minimum = 100, Maximum = 599 });
    public static readonly EventField Category = Declare(Text("category", nameof(ClickEvent.Category), MaxNameLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField ProductId = Declare(Text("productId", nameof(ClickEvent.ProductId), MaxIdLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField Query = Declare(Text("query", nameof(ClickEvent.Query), MaxTextLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField Element = Declare(Text("element", nameof(ClickEvent.Element), MaxNameLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField Quantity = Declare(new("quantity", nameof(ClickEvent.Quantity), Kind.WholeNumber) { Since = 2, Nullable = true, Minimum = 1, Maximum = 1_000_000 });
    public static readonly EventField Amount = Declare(new("amount", nameof(ClickEvent.Amount), Kind.Number) { Since = 2, Nullable = true, Minimum = 0 });
    public static readonly EventField Currency = Declare(Text("currency", nameof(ClickEvent.Currency), MaxNameLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField OrderId = Declare(Text("orderId", nameof(ClickEvent.OrderId), MaxIdLength) with { Since = 2, Nullable = true });
    public static readonly EventField ProductIds = Declare(new("productIds", nameof(ClickEvent.ProductIds), Kind.TextList) { Since = 2, Nullable = true, MaxItems = MaxProductIds, MaxLength = MaxIdLength });
    public static readonly EventField UtmSource = Declare(Text("utmSource", nameof(ClickEvent.UtmSource), MaxTextLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField UtmMedium = Declare(Text("utmMedium", nameof(ClickEvent.UtmMedium), MaxTextLength) with { Since = 2, Nullable = true, Pooled = true });
    public static readonly EventField UtmCampaign = Declare(Text("utmCampaign", nameof(ClickEvent.UtmCampaign), MaxTextLength) with { Since = 2, Nullable = true, Pooled = true });

    /// <summary>Every field, in wire order (<see cref="EventField.Index"/> is the position here).</summary>
    public static readonly IReadOnlyList<EventField> All = Declared.AsReadOnly();

    /// <summary>The field with this wire name, or null.</summary>
    public static EventField? Find(string name) => Declared.Find(field => string.Equals(field.Name, name, StringComparison.Ordinal));

    private static EventField Text(string name, string property, int maxLength) => new(name, property, Kind.Text) { MaxLength = maxLength };

    private static EventField Declare(EventField field)
    {
        var numbered = field with { Index = Declared.Count };
        Declared.Add(numbered);
        return numbered;
    }
}
