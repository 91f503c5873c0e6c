using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ClickstreamApi.Events;
using Field = ClickstreamApi.Events.ClickEventFields;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// The alternative to <see cref="ClickEventReader"/> the benchmark weighs: source-generated
/// deserialization into <see cref="ClickEventMessage"/>, then a validator applying the rules of
/// <see cref="ClickEventFields"/>, with the same reasons and details. Two differences it cannot help:
/// with several bad fields it names the first in field order rather than message order, and an
/// explicit null in a required field is reported missing, not invalid. No string pool.
/// </summary>
internal static class GeneratedEventReader
{
    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClickEvent? clickEvent, out Rejection rejection)
    {
        clickEvent = null;
        if (data.IsEmpty)
        {
            rejection = new(RejectionReasons.Empty, "The message has no value.");
            return false;
        }

        if (data.Length > ClickEventReader.MaxMessageBytes)
        {
            rejection = new(RejectionReasons.TooLarge, $"The message is {data.Length} bytes; events are at most {ClickEventReader.MaxMessageBytes}.");
            return false;
        }

        if (ExerciseLine.LooksLikeOne(data) && ExerciseLine.TryRead(data, out clickEvent))
        {
            rejection = default;
            return true;
        }

        ClickEventMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(data, ClickEventMessageContext.Default.ClickEventMessage);
        }
        catch (JsonException ex)
        {
            rejection = Explain(data, ex);
            return false;
        }

        if (message is null)
        {
            rejection = new(RejectionReasons.NotAnObject, "The message is JSON but not an object (it starts with Null).");
            return false;
        }

        if (Validate(message) is { } problem)
        {
            rejection = problem;
            return false;
        }

        clickEvent = new ClickEvent
        {
            EventId = message.EventId!.Value,
            SchemaVersion = message.SchemaVersion ?? 1,
            Seq = message.Seq,
            RunId = message.RunId,
            UserId = message.UserId!,
            SessionId = message.SessionId,
            EventType = message.EventType!,
            Page = message.Page!,
            Referrer = message.Referrer,
            Device = message.Device,
            OccurredAt = message.OccurredAt!.Value.ToUniversalTime(),
            UserAgent = message.UserAgent,
            Country = message.Country,
            VisitorType = message.VisitorType,
            Status = message.Status,
            Category = message.Category,
            ProductId = message.ProductId,
            Query = message.Query,
            Element = message.Element,
            Quantity = message.Quantity,
            Amount = message.Amount,
            Currency = message.Currency,
            OrderId = message.OrderId,
            ProductIds = message.ProductIds,
            UtmSource = message.UtmSource,
            UtmMedium = message.UtmMedium,
            UtmCampaign = message.UtmCampaign,
        };
        rejection = default;
        return true;
    }

    private static Rejection? Validate(ClickEventMessage m) =>
        Missing(Field.EventId, m.EventId is null)
        ?? Missing(Field.UserId, m.UserId is null)
        ?? Missing(Field.EventType, m.EventType is null)
        ?? Missing(Field.Page, m.Page is null)
        ?? Missing(Field.OccurredAt, m.OccurredAt is null)
        ?? Number(Field.SchemaVersion, m.SchemaVersion)
        ?? Number(Field.Seq, m.Seq)
        ?? Text(Field.RunId, m.RunId)
        ?? Text(Field.UserId, m.UserId)
        ?? Text(Field.SessionId, m.SessionId)
        ?? Text(Field.EventType, m.EventType)
        ?? Text(Field.Page, m.Page)
        ?? Text(Field.Referrer, m.Referrer)
        ?? Text(Field.Device, m.Device)
        ?? Text(Field.UserAgent, m.UserAgent)
        ?? Text(Field.Country, m.Country)
        ?? Text(Field.VisitorType, m.VisitorType)
        ?? Number(Field.Status, m.Status)
        ?? Text(Field.Category, m.Category)
        ?? Text(Field.ProductId, m.ProductId)
        ?? Text(Field.Query, m.Query)
        ?? Text(Field.Element, m.Element)
        ?? Number(Field.Quantity, m.Quantity)
        ?? Amount(Field.Amount, m.Amount)
        ?? Text(Field.Currency, m.Currency)
        ?? Text(Field.OrderId, m.OrderId)
        ?? List(Field.ProductIds, m.ProductIds)
        ?? Text(Field.UtmSource, m.UtmSource)
        ?? Text(Field.UtmMedium, m.UtmMedium)
        ?? Text(Field.UtmCampaign, m.UtmCampaign);

    private static Rejection? Missing(EventField field, bool missing) =>
        missing ? new(RejectionReasons.MissingField, $"Required field '{field.Name}' is missing.") : null;

    private static Rejection? Number(EventField field, long? value) =>
        value is { } number && (number < (field.Minimum ?? long.MinValue) || number > (field.Maximum ?? long.MaxValue)) ? Invalid(field, field.TypeRule) : null;

    private static Rejection? Amount(EventField field, decimal? value) =>
        value is { } amount && (amount < (field.Minimum ?? decimal.MinValue) || amount > (field.Maximum ?? decimal.MaxValue)) ? Invalid(field, field.TypeRule) : null;

    private static Rejection? Text(EventField field, string? value) =>
        value is null ? null
        : value.Length == 0 ? Invalid(field, EventField.EmptyRule)
        : value.Length > field.MaxLength ? Invalid(field, field.LengthRule)
        : null;

    private static Rejection? List(EventField field, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count > field.MaxItems)
        {
            return Invalid(field, field.ItemsRule);
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { Length: > 0 } item || item.Length > field.MaxLength)
            {
                return Invalid(field, field.ItemLengthRule);
            }
        }

        return null;
    }

    private static Rejection Invalid(EventField field, string problem) => new(RejectionReasons.InvalidField, $"Field '{field.Name}' {problem}.");

    /// <summary>Turns the deserializer's exception into the reader's reason: why the message is not an event at all, or the field it stopped at.</summary>
    private static Rejection Explain(ReadOnlySpan<byte> data, JsonException ex)
    {
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(RejectionReasons.NotAnObject, $"The message is JSON but not an object (it starts with {reader.TokenType}).");
            }

            while (reader.Read())
            {
            }
        }
        catch (JsonException broken)
        {
            return new(RejectionReasons.NotJson, $"The message is not valid JSON: {broken.Message}");
        }

        if (ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var end = path.IndexOf('[', StringComparison.Ordinal);
            var name = end < 0 ? path[2..] : path[2..end];
            if (Field.Find(name) is { } field)
            {
                return Invalid(field, end < 0 ? field.TypeRule : field.ItemsRule);
            }
        }

        return new(RejectionReasons.NotJson, $"The message is not valid JSON: {ex.Message}");
    }
}
