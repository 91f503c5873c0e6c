namespace ClickstreamApi.Events;

/// <summary>The values of an event's <c>device</c> field.</summary>
public static class DeviceTypes
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";

    public static readonly IReadOnlyList<string> All = [Desktop, Mobile, Tablet];
}
