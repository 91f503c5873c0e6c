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
/// Reads and validates an event straight from message bytes with <see cref="Utf8JsonReader"/>:
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

    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection)
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

        try
        {
            return TryReadJson(data, out clickEvent, out rejection);
        }
        catch (JsonException ex)
        {
            rejection = new(RejectionReasons.NotJson, $"The message is not valid JSON: {ex.Message}");
            return false;
        }
    }

    private static bool TryReadJson(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection)
    {
        clickEvent = null;
        var reader = new Utf8JsonReader(data, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            rejection = new(RejectionReasons.NotAnObject, $"The message is JSON but not an object (it starts with {reader.TokenType}).");
            return false;
        }

        Guid? eventId = null;
        int schemaVersion = ClickEvent.CurrentSchemaVersion;
        long? seq = null;
        string? runId = null, userId = null, sessionId = null, eventType = null, page = null, referrer = null, device = null;
        DateTimeOffset? occurredAt = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? problem;
            if (reader.ValueTextEquals(Field.EventId.EncodedUtf8Bytes))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out var id))
                {
                    return Invalid("eventId", "must be a UUID string", out rejection);
                }

                eventId = id;
            }
            else if (reader.ValueTextEquals(Field.SchemaVersion.EncodedUtf8Bytes))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out schemaVersion) || schemaVersion < 1)
                {
                    return Invalid("schemaVersion", "must be a whole number of at least 1", out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.Seq.EncodedUtf8Bytes))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0)
                {
                    seq = value;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return Invalid("seq", "must be a whole number of at least 0", out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.RunId.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxIdLength, nullable: true, out runId, out problem))
                {
                    return Invalid("runId", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.UserId.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxIdLength, nullable: false, out userId, out problem))
                {
                    return Invalid("userId", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.SessionId.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxIdLength, nullable: true, out sessionId, out problem))
                {
                    return Invalid("sessionId", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.EventType.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxNameLength, nullable: false, out eventType, out problem, KnownEventTypes))
                {
                    return Invalid("eventType", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.Page.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxUrlLength, nullable: false, out page, out problem))
                {
                    return Invalid("page", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.Referrer.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxUrlLength, nullable: true, out referrer, out problem))
                {
                    return Invalid("referrer", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.Device.EncodedUtf8Bytes))
            {
                if (!TryReadString(ref reader, Field.MaxNameLength, nullable: true, out device, out problem, KnownDevices))
                {
                    return Invalid("device", problem, out rejection);
                }
            }
            else if (reader.ValueTextEquals(Field.OccurredAt.EncodedUtf8Bytes))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var at))
                {
                    return Invalid("occurredAt", "must be an ISO-8601 timestamp string", out rejection);
                }

                occurredAt = at;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the object (a second value, garbage) makes the reader throw: not JSON.
        while (reader.Read())
        {
        }

        var missing = eventId is null ? "eventId"
            : userId is null ? "userId"
            : eventType is null ? "eventType"
            : page is null ? "page"
            : occurredAt is null ? "occurredAt"
            : null;
        if (missing is not null)
        {
            rejection = new(RejectionReasons.MissingField, $"Required field '{missing}' is missing.");
            return false;
        }

        clickEvent = new ClickEvent
        {
            EventId = eventId!.Value,
            SchemaVersion = schemaVersion,
            Seq = seq,
            RunId = runId,
            UserId = userId!,
            SessionId = sessionId,
            EventType = eventType!,
            Page = page!,
            Referrer = referrer,
            Device = device,
            OccurredAt = occurredAt!.Value.ToUniversalTime(),
        };
        rejection = default;
        return true;
    }

    private static bool TryReadString(
        ref Utf8JsonReader reader,
        int maxLength,
        bool nullable,
        out string? value,
        [NotNullWhen(false)] out string? problem,
        string[]? knownValues = null)
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

        value = reader.GetString()!;
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

    private static bool Invalid(string field, string problem, out Rejection rejection)
    {
        rejection = new(RejectionReasons.InvalidField, $"Field '{field}' {problem}.");
        return false;
    }
}
