using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Field = ClickstreamApi.Events.ClickEventFields;

namespace ClickstreamApi.Events;

/// <summary>Why a message on the topic is not an event: a stable reason code and a human detail.</summary>
public readonly record struct Rejection(string Reason, string Detail);

/// <summary>Stable reason codes for rejected messages (counted per code).</summary>
public static class RejectionReasons
{
    public const string Empty = "empty";
    public const string TooLarge = "too_large";
    public const string NotJson = "not_json";
    public const string NotAnObject = "not_an_object";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
}

/// <summary>
/// Reads and validates an event straight from message bytes with <see cref="Utf8JsonReader"/>
/// (or, for the original exercise's text lines, with <see cref="ExerciseLine"/>):
/// no intermediate copies, and a precise reason (naming the field) when the message is not an event.
/// Unknown fields are ignored so newer producers stay readable.
/// </summary>
public static class ClickEventReader
{
    /// <summary>Events are a few hundred bytes; anything past this is rejected without parsing.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

    // Known values come back as shared strings instead of a new string per event.
    private static readonly string[] KnownEventTypes = ["page_view", "click", "search", "add_to_cart", "checkout", "purchase"];
    private static readonly string[] KnownDevices = ["desktop", "mobile", "tablet"];
    private static readonly string[] KnownVisitorTypes = ["new", "returning"];

    private static readonly TextField[] TextFields =
    [
        new(Field.RunId, Field.MaxIdLength, true, true, static (ref f) => ref f.RunId),
        new(Field.UserId, Field.MaxIdLength, false, false, static (ref f) => ref f.UserId),
        new(Field.SessionId, Field.MaxIdLength, true, false, static (ref f) => ref f.SessionId),
        new(Field.EventType, Field.MaxNameLength, false, false, static (ref f) => ref f.EventType, KnownEventTypes),
        new(Field.Page, Field.MaxUrlLength, false, true, static (ref f) => ref f.Page),
        new(Field.Referrer, Field.MaxUrlLength, true, true, static (ref f) => ref f.Referrer),
        new(Field.Device, Field.MaxNameLength, true, false, static (ref f) => ref f.Device, KnownDevices),
        new(Field.UserAgent, Field.MaxTextLength, true, true, static (ref f) => ref f.UserAgent),
        new(Field.Country, Field.MaxNameLength, true, true, static (ref f) => ref f.Country),
        new(Field.VisitorType, Field.MaxNameLength, true, false, static (ref f) => ref f.VisitorType, KnownVisitorTypes),
        new(Field.Category, Field.MaxNameLength, true, true, static (ref f) => ref f.Category),
        new(Field.ProductId, Field.MaxIdLength, true, true, static (ref f) => ref f.ProductId),
        new(Field.Query, Field.MaxTextLength, true, true, static (ref f) => ref f.Query),
        new(Field.Element, Field.MaxNameLength, true, true, static (ref f) => ref f.Element),
        new(Field.Currency, Field.MaxNameLength, true, true, static (ref f) => ref f.Currency),
        new(Field.OrderId, Field.MaxIdLength, true, false, static (ref f) => ref f.OrderId),
        new(Field.UtmSource, Field.MaxTextLength, true, true, static (ref f) => ref f.UtmSource),
        new(Field.UtmMedium, Field.MaxTextLength, true, true, static (ref f) => ref f.UtmMedium),
        new(Field.UtmCampaign, Field.MaxTextLength, true, true, static (ref f) => ref f.UtmCampaign),
    ];

    // Every known property name, found with one lookup per property (by length, then bytes) instead
    // of comparing the name with each field in turn: the special fields first, then TextFields.
    private const int EventIdName = 0, SchemaVersionName = 1, SeqName = 2, OccurredAtName = 3, StatusName = 4,
        QuantityName = 5, AmountName = 6, ProductIdsName = 7, FirstTextName = 8;

    private static readonly JsonEncodedText[] Names =
    [
        Field.EventId, Field.SchemaVersion, Field.Seq, Field.OccurredAt, Field.Status, Field.Quantity, Field.Amount, Field.ProductIds,
        .. TextFields.Select(text => text.Name),
    ];

    private static readonly int[][] NamesByLength = IndexByLength(Names);

    private delegate ref string? FieldSlot(ref Fields fields);

    /// <summary>
    /// A string field: its name, length limit, whether null is allowed, whether its values repeat
    /// enough to share one string each through a <see cref="Utf8StringPool"/>, and where it goes.
    /// </summary>
    private sealed record TextField(JsonEncodedText Name, int MaxLength, bool Nullable, bool Pooled, FieldSlot Target, string[]? KnownValues = null);

    /// <summary>The fields read so far.</summary>
    private struct Fields
    {
        public Utf8StringPool? Pool;
        public Guid? EventId;
        public int? SchemaVersion;
        public long? Seq;
        public DateTimeOffset? OccurredAt;
        public int? Status;
        public int? Quantity;
        public decimal? Amount;
        public IReadOnlyList<string>? ProductIds;
        public string? RunId;
        public string? UserId;
        public string? SessionId;
        public string? EventType;
        public string? Page;
        public string? Referrer;
        public string? Device;
        public string? UserAgent;
        public string? Country;
        public string? VisitorType;
        public string? Category;
        public string? ProductId;
        public string? Query;
        public string? Element;
        public string? Currency;
        public string? OrderId;
        public string? UtmSource;
        public string? UtmMedium;
        public string? UtmCampaign;
    }

    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection) =>
        TryRead(data, pool: null, out clickEvent, out rejection);

    /// <summary>
    /// Reads an event; with a <paramref name="pool"/>, values of repetitive fields (pages, user agents,
    /// ids of users and products, campaign tags) come back as shared strings.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, Utf8StringPool? pool, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection)
    {
        clickEvent = null;
        if (data.IsEmpty)
        {
            rejection = new(RejectionReasons.Empty, "The message has no value.");
            return false;
        }

        if (data.Length > MaxMessageBytes)
        {
            rejection = new(RejectionReasons.TooLarge, $"The message is {data.Length} bytes; events are at most {MaxMessageBytes}.");
            return false;
        }

        if (ExerciseLine.LooksLikeOne(data) && ExerciseLine.TryRead(data, out clickEvent))
        {
            rejection = default;
            return true;
        }

        try
        {
            return TryReadJson(data, pool, out clickEvent, out rejection);
        }
        catch (JsonException ex)
        {
            rejection = new(RejectionReasons.NotJson, $"The message is not valid JSON: {ex.Message}");
            return false;
        }
    }

    private static bool TryReadJson(ReadOnlySpan<byte> data, Utf8StringPool? pool, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection)
    {
        clickEvent = null;
        var reader = new Utf8JsonReader(data, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            rejection = new(RejectionReasons.NotAnObject, $"The message is JSON but not an object (it starts with {reader.TokenType}).");
            return false;
        }

        var fields = new Fields { Pool = pool };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryReadField(ref reader, ref fields, out var field, out var problem))
            {
                rejection = new(RejectionReasons.InvalidField, $"Field '{field}' {problem}.");
                return false;
            }
        }

        // Anything after the object (a second value, garbage) makes the reader throw: not JSON.
        while (reader.Read())
        {
        }

        var missing = fields.EventId is null ? "eventId"
            : fields.UserId is null ? "userId"
            : fields.EventType is null ? "eventType"
            : fields.Page is null ? "page"
            : fields.OccurredAt is null ? "occurredAt"
            : null;
        if (missing is not null)
        {
            rejection = new(RejectionReasons.MissingField, $"Required field '{missing}' is missing.");
            return false;
        }

        clickEvent = new ClickEvent
        {
            EventId = fields.EventId!.Value,
            SchemaVersion = fields.SchemaVersion ?? 1,
            Seq = fields.Seq,
            RunId = fields.RunId,
            UserId = fields.UserId!,
            SessionId = fields.SessionId,
            EventType = fields.EventType!,
            Page = fields.Page!,
            Referrer = fields.Referrer,
            Device = fields.Device,
            OccurredAt = fields.OccurredAt!.Value.ToUniversalTime(),
            UserAgent = fields.UserAgent,
            Country = fields.Country,
            VisitorType = fields.VisitorType,
            Status = fields.Status,
            Category = fields.Category,
            ProductId = fields.ProductId,
            Query = fields.Query,
            Element = fields.Element,
            Quantity = fields.Quantity,
            Amount = fields.Amount,
            Currency = fields.Currency,
            OrderId = fields.OrderId,
            ProductIds = fields.ProductIds,
            UtmSource = fields.UtmSource,
            UtmMedium = fields.UtmMedium,
            UtmCampaign = fields.UtmCampaign,
        };
        rejection = default;
        return true;
    }

    /// <summary>Reads one property (the reader is on its name); false names the field and the problem.</summary>
    private static bool TryReadField(ref Utf8JsonReader reader, ref Fields f, out string field, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        var name = FindName(ref reader);
        if (name == EventIdName)
        {
            field = "eventId";
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out var id))
            {
                problem = "must be a UUID string";
                return false;
            }

            f.EventId = id;
            return true;
        }

        if (name == SchemaVersionName)
        {
            field = "schemaVersion";
            return TryReadInt(ref reader, 1, int.MaxValue, nullable: false, out f.SchemaVersion, out problem);
        }

        if (name == SeqName)
        {
            field = "seq";
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seq) || seq < 0)
            {
                problem = "must be a whole number of at least 0";
                return false;
            }

            f.Seq = seq;
            return true;
        }

        if (name == OccurredAtName)
        {
            field = "occurredAt";
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var at))
            {
                problem = "must be an ISO-8601 timestamp string";
                return false;
            }

            f.OccurredAt = at;
            return true;
        }

        if (name == StatusName)
        {
            field = "status";
            return TryReadInt(ref reader, 100, 599, nullable: true, out f.Status, out problem);
        }

        if (name == QuantityName)
        {
            field = "quantity";
            return TryReadInt(ref reader, 1, 1_000_000, nullable: true, out f.Quantity, out problem);
        }

        if (name == AmountName)
        {
            field = "amount";
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var amount) || amount < 0)
            {
                problem = "must be a number of at least 0";
                return false;
            }

            f.Amount = amount;
            return true;
        }

        if (name == ProductIdsName)
        {
            field = "productIds";
            return TryReadStringArray(ref reader, out f.ProductIds, out problem);
        }

        if (name >= FirstTextName)
        {
            var text = TextFields[name - FirstTextName];
            field = text.Name.Value;
            var pool = text.Pooled ? f.Pool : null;
            return TryReadString(ref reader, text.MaxLength, text.Nullable, out text.Target(ref f), out problem, text.KnownValues, pool);
        }

        // Unknown fields are skipped: newer producers may add them.
        field = string.Empty;
        problem = null;
        reader.Read();
        reader.Skip();
        return true;
    }

    /// <summary>The index in <see cref="Names"/> of the property the reader is on, or -1 for an unknown one.</summary>
    private static int FindName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            // Escaped names are legal JSON but never written by our producer: the slow, exact way.
            for (var i = 0; i < Names.Length; i++)
            {
                if (reader.ValueTextEquals(Names[i].EncodedUtf8Bytes))
                {
                    return i;
                }
            }

            return -1;
        }

        var name = reader.ValueSpan;
        if (name.Length >= NamesByLength.Length)
        {
            return -1;
        }

        foreach (var index in NamesByLength[name.Length])
        {
            if (name.SequenceEqual(Names[index].EncodedUtf8Bytes))
            {
                return index;
            }
        }

        return -1;
    }

    private static int[][] IndexByLength(JsonEncodedText[] names)
    {
        var longest = names.Max(n => n.EncodedUtf8Bytes.Length);
        var byLength = new int[longest + 1][];
        for (var length = 0; length <= longest; length++)
        {
            byLength[length] = Enumerable.Range(0, names.Length).Where(i => names[i].EncodedUtf8Bytes.Length == length).ToArray();
        }

        return byLength;
    }

    private static bool TryReadInt(ref Utf8JsonReader reader, int min, int max, bool nullable, out int? value, [NotNullWhen(false)] out string? problem)
    {
        reader.Read();
        value = null;
        problem = null;
        if (reader.TokenType == JsonTokenType.Null && nullable)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number) || number < min || number > max)
        {
            problem = $"must be a whole number from {min} to {max}";
            return false;
        }

        value = number;
        return true;
    }

    private static bool TryReadStringArray(ref Utf8JsonReader reader, out IReadOnlyList<string>? values, [NotNullWhen(false)] out string? problem)
    {
        reader.Read();
        values = null;
        problem = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            problem = "must be an array of strings";
            return false;
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || list.Count == Field.MaxProductIds)
            {
                problem = $"must be an array of at most {Field.MaxProductIds} strings";
                return false;
            }

            var item = reader.GetString()!;
            if (item.Length is 0 or > Field.MaxIdLength)
            {
                problem = $"must hold strings of 1 to {Field.MaxIdLength} characters";
                return false;
            }

            list.Add(item);
        }

        values = list;
        return true;
    }

    private static bool TryReadString(
        ref Utf8JsonReader reader,
        int maxLength,
        bool nullable,
        out string? value,
        [NotNullWhen(false)] out string? problem,
        string[]? knownValues = null,
        Utf8StringPool? pool = null)
    {
        reader.Read();
        value = null;
        problem = null;
        if (reader.TokenType == JsonTokenType.Null && nullable)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            problem = nullable ? "must be a string or null" : "must be a string";
            return false;
        }

        if (knownValues is not null)
        {
            foreach (var known in knownValues)
            {
                if (reader.ValueTextEquals(known))
                {
                    value = known;
                    return true;
                }
            }
        }

        // An escaped value must be unescaped first; those are rare enough to decode every time.
        value = pool is not null && !reader.ValueIsEscaped ? pool.GetOrAdd(reader.ValueSpan) : reader.GetString()!;
        if (value.Length == 0)
        {
            problem = "must not be empty";
            return false;
        }

        if (value.Length > maxLength)
        {
            problem = $"must be at most {maxLength} characters";
            return false;
        }

        return true;
    }

}
