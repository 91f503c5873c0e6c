namespace ClickstreamApi.Registry;

/// <summary>Confluent's compatibility levels, spelled as its API spells them.</summary>
public static class CompatibilityLevel
{
    public const string Backward = "BACKWARD";

    public static readonly IReadOnlyList<string> All =
        ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];

    /// <summary>The level in the API's spelling, or null when it is not one.</summary>
    public static string? Parse(string? level)
    {
        var upper = level?.Trim().ToUpperInvariant();
        return upper is not null && All.Contains(upper) ? upper : null;
    }

    /// <summary>New versions must be readable by (forward) or able to read (backward) earlier ones.</summary>
    public static (bool Backward, bool Forward, bool Transitive) Rules(string level) => (
        level.StartsWith("BACKWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal),
        level.StartsWith("FORWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal),
        level.EndsWith("_TRANSITIVE", StringComparison.Ordinal));
}
