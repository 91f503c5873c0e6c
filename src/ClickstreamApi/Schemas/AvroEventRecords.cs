using Avro;
using Avro.Generic;
using ClickstreamApi.Events;
using Field = ClickstreamApi.Events.ClickEventFields;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Click events as Avro <see cref="GenericRecord"/>s of schemas/click-event.avsc, and back: the reader
/// takes whatever schema the writer used (fields missing from it read as absent), and holds every value
/// to the rules of <see cref="ClickEventFields"/>, as the JSON reader does.
/// </summary>
public static class AvroEventRecords
{
    private static readonly RecordSchema Schema = ClickEventSchemas.AvroRecord;

    public static GenericRecord ToRecord(ClickEvent e)
    {
        var record = new GenericRecord(Schema);
        record.Add(Field.EventId.Name, e.EventId);
        record.Add(Field.SchemaVersion.Name, e.SchemaVersion);
        record.Add(Field.Seq.Name, e.Seq);
        record.Add(Field.RunId.Name, e.RunId);
        record.Add(Field.UserId.Name, e.UserId);
        record.Add(Field.SessionId.Name, e.SessionId);
        record.Add(Field.EventType.Name, e.EventType);
        record.Add(Field.Page.Name, e.Page);
        record.Add(Field.Referrer.Name, e.Referrer);
        record.Add(Field.Device.Name, e.Device);
        record.Add(Field.OccurredAt.Name, e.OccurredAt.UtcDateTime);
        record.Add(Field.UserAgent.Name, e.UserAgent);
        record.Add(Field.Country.Name, e.Country);
        record.Add(Field.VisitorType.Name, e.VisitorType);
        record.Add(Field.Status.Name, e.Status);
        record.Add(Field.Category.Name, e.Category);
        record.Add(Field.ProductId.Name, e.ProductId);
        record.Add(Field.Query.Name, e.Query);
        record.Add(Field.Element.Name, e.Element);
        record.Add(Field.Quantity.Name, e.Quantity);
        // The schema's decimal has 2 places: a scale of exactly 2 (12.5 is written as 12.50).
        record.Add(Field.Amount.Name, e.Amount is { } amount ? new AvroDecimal(decimal.Round(amount, 2, MidpointRounding.ToEven) + 0.00m) : null);
        record.Add(Field.Currency.Name, e.Currency);
        record.Add(Field.OrderId.Name, e.OrderId);
        record.Add(Field.ProductIds.Name, e.ProductIds is { } ids ? ids.ToArray() : null);
        record.Add(Field.UtmSource.Name, e.UtmSource);
        record.Add(Field.UtmMedium.Name, e.UtmMedium);
        record.Add(Field.UtmCampaign.Name, e.UtmCampaign);
        return record;
    }

    /// <summary>The event in a decoded record, or why it is not one (naming the field and the rule).</summary>
    public static bool TryRead(GenericRecord record, out ClickEvent? clickEvent, out Rejection rejection)
    {
        try
        {
            var reader = new Values(record);
            clickEvent = new ClickEvent
            {
                EventId = reader.Uuid(Field.EventId),
                SchemaVersion = (int?)reader.WholeNumber(Field.SchemaVersion) ?? 1,
                Seq = reader.WholeNumber(Field.Seq),
                RunId = reader.Text(Field.RunId),
                UserId = reader.Text(Field.UserId)!,
                SessionId = reader.Text(Field.SessionId),
                EventType = reader.Text(Field.EventType)!,
                Page = reader.Text(Field.Page)!,
                Referrer = reader.Text(Field.Referrer),
                Device = reader.Text(Field.Device),
                OccurredAt = reader.Timestamp(Field.OccurredAt),
                UserAgent = reader.Text(Field.UserAgent),
                Country = reader.Text(Field.Country),
                VisitorType = reader.Text(Field.VisitorType),
                Status = (int?)reader.WholeNumber(Field.Status),
                Category = reader.Text(Field.Category),
                ProductId = reader.Text(Field.ProductId),
                Query = reader.Text(Field.Query),
                Element = reader.Text(Field.Element),
                Quantity = (int?)reader.WholeNumber(Field.Quantity),
                Amount = reader.Number(Field.Amount),
                Currency = reader.Text(Field.Currency),
                OrderId = reader.Text(Field.OrderId),
                ProductIds = reader.TextList(Field.ProductIds),
                UtmSource = reader.Text(Field.UtmSource),
                UtmMedium = reader.Text(Field.UtmMedium),
                UtmCampaign = reader.Text(Field.UtmCampaign),
            };
            rejection = default;
            return true;
        }
        catch (FieldProblem problem)
        {
            clickEvent = null;
            rejection = problem.Rejection;
            return false;
        }
    }

    private readonly struct Values(GenericRecord record)
    {
        public Guid Uuid(EventField field) => Get(field) switch
        {
            Guid guid => guid,
            string text when Guid.TryParse(text, out var guid) => guid,
            _ => throw AvroFieldRules.Invalid(field, field.TypeRule),
        };

        public DateTimeOffset Timestamp(EventField field) => Get(field) switch
        {
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            DateTimeOffset time => time,
            long micros => AvroFieldRules.FromMicros(field, micros),
            string text when DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) => time,
            _ => throw AvroFieldRules.Invalid(field, "must be a timestamp (timestamp-micros, timestamp-millis or an ISO-8601 string)"),
        };

        public long? WholeNumber(EventField field) => Get(field) switch
        {
            null => null,
            int number => AvroFieldRules.WholeNumber(field, number),
            long number => AvroFieldRules.WholeNumber(field, number),
            _ => throw AvroFieldRules.Invalid(field, field.TypeRule),
        };

        public decimal? Number(EventField field) => Get(field) switch
        {
            null => null,
            AvroDecimal number => AvroFieldRules.Number(field, ToDecimal(field, number)),
            // Within decimal's range (about 7.9e28); beyond it the conversion would throw.
            double number when double.IsFinite(number) && Math.Abs(number) < 7.9e28 => AvroFieldRules.Number(field, (decimal)number),
            float number when float.IsFinite(number) && Math.Abs(number) < 7.9e28f => AvroFieldRules.Number(field, (decimal)number),
            int number => AvroFieldRules.Number(field, number),
            long number => AvroFieldRules.Number(field, number),
            _ => throw AvroFieldRules.Invalid(field, field.TypeRule),
        };

        public string? Text(EventField field)
        {
            if (Get(field) is not { } value)
            {
                return null;
            }

            // The decoder allocated the string already; known values come back shared, as the JSON reader returns them.
            return value is string text ? AvroFieldRules.Text(field, text) : throw AvroFieldRules.Invalid(field, field.TypeRule);
        }

        public string[]? TextList(EventField field)
        {
            if (Get(field) is not { } value)
            {
                return null;
            }

            if (value is not object[] items || items.Length > field.MaxItems)
            {
                throw AvroFieldRules.Invalid(field, field.ItemsRule);
            }

            var list = new string[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                list[i] = AvroFieldRules.ListItem(field, items[i] as string);
            }

            return list;
        }

        private object? Get(EventField field)
        {
            if (record.TryGetValue(field.Name, out var value) && value is not null)
            {
                return value;
            }

            return field.Required ? throw AvroFieldRules.Missing(field) : null;
        }

        /// <summary>An Avro decimal of any scale, or the field's rule when it does not fit a decimal.</summary>
        private static decimal ToDecimal(EventField field, AvroDecimal number)
        {
            try
            {
                return (decimal)number;
            }
            catch (OverflowException)
            {
                throw AvroFieldRules.Invalid(field, field.TypeRule);
            }
        }
    }
}
