using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using ClickstreamApi.Events;
using Field = ClickstreamApi.Events.ClickEventFields;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Reads Avro binary written with schemas/click-event.avsc itself (the writer schema the registry
/// names for the id is this one) straight from the message bytes, holding every value to the rules
/// of <see cref="ClickEventFields"/> with the JSON reader's rejection texts; repeated values come
/// from the consumer's string pool. Values written with another schema go through Confluent's
/// deserializer instead (<see cref="FramedEventReader"/>).
/// </summary>
/// <remarks>
/// Hand-written because Confluent's <c>AvroDeserializer&lt;GenericRecord&gt;</c> plus the record's
/// checks cost about 20 µs and 6.6 KB per event (FormatBenchmarks ReadAvroConfluent).
/// </remarks>
public static class ClickEventAvroReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryRead(ReadOnlySpan<byte> payload, Utf8StringPool? pool, out ClickEvent? clickEvent, out Rejection rejection)
    {
        clickEvent = null;
        try
        {
            var reader = new Reader(payload, pool);
            clickEvent = new ClickEvent
            {
                EventId = reader.Uuid(Field.EventId),
                SchemaVersion = (int)reader.WholeNumber(Field.SchemaVersion),
                Seq = reader.OptionalWholeNumber(Field.Seq),
                RunId = reader.OptionalText(Field.RunId),
                UserId = reader.Text(Field.UserId),
                SessionId = reader.OptionalText(Field.SessionId),
                EventType = reader.Text(Field.EventType),
                Page = reader.Text(Field.Page),
                Referrer = reader.OptionalText(Field.Referrer),
                Device = reader.OptionalText(Field.Device),
                OccurredAt = reader.Timestamp(Field.OccurredAt),
                UserAgent = reader.OptionalText(Field.UserAgent),
                Country = reader.OptionalText(Field.Country),
                VisitorType = reader.OptionalText(Field.VisitorType),
                Status = (int?)reader.OptionalWholeNumber(Field.Status),
                Category = reader.OptionalText(Field.Category),
                ProductId = reader.OptionalText(Field.ProductId),
                Query = reader.OptionalText(Field.Query),
                Element = reader.OptionalText(Field.Element),
                Quantity = (int?)reader.OptionalWholeNumber(Field.Quantity),
                Amount = reader.OptionalDecimal(Field.Amount),
                Currency = reader.OptionalText(Field.Currency),
                OrderId = reader.OptionalText(Field.OrderId),
                ProductIds = reader.OptionalTextList(Field.ProductIds),
                UtmSource = reader.OptionalText(Field.UtmSource),
                UtmMedium = reader.OptionalText(Field.UtmMedium),
                UtmCampaign = reader.OptionalText(Field.UtmCampaign),
            };
            if (!reader.AtEnd)
            {
                throw Mismatch("bytes follow the record");
            }

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

    private static FieldProblem Invalid(EventField field, string rule) => AvroFieldRules.Invalid(field, rule);

    private static FieldProblem Mismatch(string what) => new(new Rejection(RejectionReasons.SchemaMismatch, $"The Avro payload does not match schemas/click-event.avsc: {what}."));

    private ref struct Reader(ReadOnlySpan<byte> data, Utf8StringPool? pool)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public Guid Uuid(EventField field)
        {
            var bytes = Bytes(field);
            return Utf8Parser.TryParse(bytes, out Guid value, out var consumed) && consumed == bytes.Length ? value : throw Invalid(field, field.TypeRule);
        }

        public DateTimeOffset Timestamp(EventField field) => AvroFieldRules.FromMicros(field, Long(field));

        public long WholeNumber(EventField field) => AvroFieldRules.WholeNumber(field, Long(field));

        public long? OptionalWholeNumber(EventField field) => Present(field) ? WholeNumber(field) : null;

        public decimal? OptionalDecimal(EventField field)
        {
            if (!Present(field))
            {
                return null;
            }

            var bytes = Bytes(field);
            if (bytes.Length is 0 or > 8)
            {
                throw Invalid(field, field.TypeRule);
            }

            // Big-endian two's complement of the unscaled value, sign-extended to 8 bytes.
            Span<byte> wide = stackalloc byte[8];
            wide.Fill((bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0x00);
            bytes.CopyTo(wide[(8 - bytes.Length)..]);
            return AvroFieldRules.Number(field, new decimal(BinaryPrimitives.ReadInt64BigEndian(wide)) / 100m);
        }

        public string Text(EventField field)
        {
            var bytes = Bytes(field);
            if (bytes.IsEmpty)
            {
                throw Invalid(field, EventField.EmptyRule);
            }

            if (!Utf8.IsValid(bytes))
            {
                throw Mismatch($"field '{field.Name}' is not UTF-8");
            }

            // Known values and pooled ones straight from the bytes, without decoding a new string.
            var text = field.KnownValues is { } known ? Known(known, bytes) : null;
            text ??= field.Pooled && pool is not null && bytes.Length <= pool.MaxValueBytes ? pool.GetOrAdd(bytes) : StrictUtf8.GetString(bytes);
            return AvroFieldRules.Length(field, text);
        }

        public string? OptionalText(EventField field) => Present(field) ? Text(field) : null;

        public string[]? OptionalTextList(EventField field)
        {
            if (!Present(field))
            {
                return null;
            }

            var items = new List<string>();
            while (true)
            {
                var count = Long(field);
                if (count == 0)
                {
                    break;
                }

                if (count < 0)
                {
                    // A block with its size in bytes after the count.
                    count = -count;
                    Long(field);
                }

                if (items.Count + count > field.MaxItems)
                {
                    throw Invalid(field, field.ItemsRule);
                }

                for (var i = 0; i < count; i++)
                {
                    var bytes = Bytes(field);
                    items.Add(AvroFieldRules.ListItem(field, Utf8.IsValid(bytes) ? StrictUtf8.GetString(bytes) : null));
                }
            }

            return [.. items];
        }

        /// <summary>The branch of a ["null", T] union: false for null.</summary>
        private bool Present(EventField field) => Long(field) switch
        {
            0 => false,
            1 => true,
            var branch => throw Mismatch($"field '{field.Name}' names union branch {branch}"),
        };

        private ReadOnlySpan<byte> Bytes(EventField field)
        {
            var length = Long(field);
            if (length < 0 || length > _data.Length - _position)
            {
                throw Mismatch($"field '{field.Name}' runs past the end of the payload");
            }

            var bytes = _data.Slice(_position, (int)length);
            _position += (int)length;
            return bytes;
        }

        private long Long(EventField field)
        {
            ulong value = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw Mismatch($"the payload ends inside field '{field.Name}'");
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return (long)(value >> 1) ^ -(long)(value & 1);
                }
            }

            throw Mismatch($"field '{field.Name}' holds a number longer than 10 bytes");
        }

        private static string? Known(IReadOnlyList<string> known, ReadOnlySpan<byte> bytes)
        {
            foreach (var value in known)
            {
                if (value.Length == bytes.Length && Encoding.UTF8.GetByteCount(value) == bytes.Length && Ascii.Equals(bytes, value))
                {
                    return value;
                }
            }

            return null;
        }
    }
}
