using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Api;

/// <summary>A cursor as <see cref="EventCursor.Format"/> writes it; null passes. A cursor from another epoch is well-formed (it resets).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class EventCursorAttribute : ValidationAttribute
{
    public EventCursorAttribute()
        : base("Must be a cursor from the X-Next-Cursor header of a previous response.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null || (value is string text && EventCursor.TryParse(text, epoch: string.Empty, out _, out _));
}
