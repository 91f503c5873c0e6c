using System.Globalization;
using System.Text.Json;

namespace ClickstreamApi.Events;

/// <summary>
/// One field of the click event as it travels on the topic: its wire name, the <see cref="ClickEvent"/>
/// property it fills, what it holds and the rules a consumer holds it to. <see cref="ClickEventFields"/>
/// declares them all; the writer, the reader and its rejection reasons follow from that declaration, and
/// tests hold the JSON Schema and docs/events.md to it.
/// </summary>
/// <param name="Name">The name on the wire (camelCase).</param>
/// <param name="Property">The <see cref="ClickEvent"/> property that holds the value.</param>
/// <param name="Kind">What the value is.</param>
public sealed record EventField(string Name, string Property, EventFieldKind Kind)
{
    /// <summary>Position in <see cref="ClickEventFields.All"/>: the order fields are written in.</summary>
    public int Index { get; internal init; }

    /// <summary>The name, encoded once for the reader and the writer.</summary>
    public JsonEncodedText EncodedName { get; } = JsonEncodedText.Encode(Name);

    /// <summary>The schema version that added the field.</summary>
    public int Since { get; init; } = 1;

    /// <summary>A message without this field is not an event.</summary>
    public bool Required { get; init; }

    /// <summary>Null is accepted on the wire (and reads as absent).</summary>
    public bool Nullable { get; init; }

    /// <summary>The writer writes the field even when it is null, because null means something of its own.</summary>
    public bool WrittenWhenNull { get; init; }

    /// <summary>Longest text in UTF-16 code units; for a list, of each item.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Smallest number accepted.</summary>
    public long? Minimum { get; init; }

    /// <summary>Largest number accepted; none means as large as the property's type holds.</summary>
    public long? Maximum { get; init; }

    /// <summary>Most items in a list.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Values repeat enough to share one string each through the consumer's <see cref="Utf8StringPool"/>.</summary>
    public bool Pooled { get; init; }

    /// <summary>The values producers are expected to send; the reader returns them as shared strings but accepts others.</summary>
    public IReadOnlyList<string>? KnownValues { get; init; }

    /// <summary>What the value must be, as a rejection says it (for example "must be a whole number from 100 to 599").</summary>
    public string TypeRule => Kind switch
    {
        EventFieldKind.Uuid => "must be a UUID string",
        EventFieldKind.Timestamp => "must be an ISO-8601 timestamp string",
        EventFieldKind.WholeNumber when Maximum is { } max => Invariant($"must be a whole number from {Minimum ?? long.MinValue} to {max}"),
        EventFieldKind.WholeNumber when Minimum is { } min => Invariant($"must be a whole number of at least {min}"),
        EventFieldKind.WholeNumber => "must be a whole number",
        EventFieldKind.Number when Minimum is { } min => Invariant($"must be a number of at least {min}"),
        EventFieldKind.Number => "must be a number",
        EventFieldKind.Text => Nullable ? "must be a string or null" : "must be a string",
        EventFieldKind.TextList => "must be an array of strings",
        _ => throw new InvalidOperationException($"Unknown field kind {Kind}."),
    };

    /// <summary>The rule an empty string breaks.</summary>
    public static string EmptyRule => "must not be empty";

    /// <summary>The rule a text longer than <see cref="MaxLength"/> breaks.</summary>
    public string LengthRule => Invariant($"must be at most {MaxLength} characters");

    /// <summary>The rule a list with more than <see cref="MaxItems"/> items, or an item that is not a string, breaks.</summary>
    public string ItemsRule => Invariant($"must be an array of at most {MaxItems} strings");

    /// <summary>The rule a list item that is empty or longer than <see cref="MaxLength"/> breaks.</summary>
    public string ItemLengthRule => Invariant($"must hold strings of 1 to {MaxLength} characters");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
