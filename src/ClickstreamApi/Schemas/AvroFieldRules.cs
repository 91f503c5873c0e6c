using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>
/// The rules of <see cref="ClickEventFields"/> for values read from Avro, shared by both Avro readers
/// (<see cref="ClickEventAvroReader"/> on the bytes, <see cref="AvroEventRecords"/> on a decoded record),
/// with the JSON reader's rejection texts. A broken rule is thrown as a <see cref="FieldProblem"/>.
/// </summary>
internal static class AvroFieldRules
{
    // DateTimeOffset's range, in microseconds from the Unix epoch (0001-01-01 to 9999-12-31).
    private const long MinMicros = -62_135_596_800_000_000L;
    private const long MaxMicros = 253_402_300_799_999_999L;

    public static long WholeNumber(EventField field, long value) =>
        value < (field.Minimum ?? long.MinValue) || value > (field.Maximum ?? long.MaxValue) ? throw Invalid(field, field.TypeRule) : value;

    public static decimal Number(EventField field, decimal value) =>
        value < (field.Minimum ?? long.MinValue) ? throw Invalid(field, field.TypeRule) : value;

    /// <summary>Microseconds since the Unix epoch (timestamp-micros) as a time, or the field's rule when out of range.</summary>
    public static DateTimeOffset FromMicros(EventField field, long micros) =>
        micros is >= MinMicros and <= MaxMicros ? DateTimeOffset.UnixEpoch.AddTicks(micros * 10) : throw Invalid(field, field.TypeRule);

    /// <summary>A non-empty text within the field's length; a known value comes back as the shared string.</summary>
    public static string Text(EventField field, string text)
    {
        if (text.Length == 0)
        {
            throw Invalid(field, EventField.EmptyRule);
        }

        return Length(field, field.KnownValues?.FirstOrDefault(k => string.Equals(k, text, StringComparison.Ordinal)) ?? text);
    }

    public static string Length(EventField field, string text) => text.Length > field.MaxLength ? throw Invalid(field, field.LengthRule) : text;

    public static string ListItem(EventField field, string? item) =>
        item is { Length: > 0 } && item.Length <= field.MaxLength ? item : throw Invalid(field, field.ItemLengthRule);

    public static FieldProblem Invalid(EventField field, string rule) => new(new Rejection(RejectionReasons.InvalidField, $"Field '{field.Name}' {rule}."));

    public static FieldProblem Missing(EventField field) => new(new Rejection(RejectionReasons.MissingField, $"Required field '{field.Name}' is missing."));
}

/// <summary>An Avro value that breaks the schema or the contract: a rare path, so an exception keeps the reading code plain.</summary>
internal sealed class FieldProblem(Rejection rejection) : Exception(rejection.Detail)
{
    public Rejection Rejection { get; } = rejection;
}
