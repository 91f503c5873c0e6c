namespace ClickstreamApi.Events;

/// <summary>What a field's value is on the wire; it decides the JSON type and the rules a reader checks.</summary>
public enum EventFieldKind
{
    /// <summary>A UUID as a string.</summary>
    Uuid,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A number with a fractional part (money).</summary>
    Number,

    /// <summary>A non-empty string.</summary>
    Text,

    /// <summary>An ISO-8601 date and time as a string.</summary>
    Timestamp,

    /// <summary>An array of non-empty strings.</summary>
    TextList,
}
