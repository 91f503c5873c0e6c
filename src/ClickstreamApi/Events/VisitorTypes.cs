namespace ClickstreamApi.Events;

/// <summary>The values of an event's <c>visitorType</c> field.</summary>
public static class VisitorTypes
{
    /// <summary>The user's first visit.</summary>
    public const string New = "new";

    /// <summary>The user has visited before.</summary>
    public const string Returning = "returning";

    public static readonly IReadOnlyList<string> All = [New, Returning];
}
