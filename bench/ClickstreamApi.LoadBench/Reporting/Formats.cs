using System.Globalization;

namespace ClickstreamApi.LoadBench.Reporting;

/// <summary>How numbers look in the tables (invariant culture, thousands separators).</summary>
internal static class Formats
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>A rate: whole numbers from 100 up, two decimals below.</summary>
    public static string Rate(double value) =>
        double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 100 ? "N0" : "N2", Invariant) : "n/a";

    public static string Milliseconds(double value) =>
        double.IsFinite(value) ? value.ToString(value >= 100 ? "N0" : value >= 10 ? "F1" : "F2", Invariant) : "n/a";

    public static string Seconds(double value) => double.IsFinite(value) ? value.ToString("F2", Invariant) + " s" : "n/a";

    public static string Mebibytes(double value) => double.IsFinite(value) ? value.ToString("F1", Invariant) : "n/a";

    /// <summary>A share as a percentage with one decimal (0.5 → 50.0 %).</summary>
    public static string Percent(double share) => double.IsFinite(share) ? (100 * share).ToString("F1", Invariant) + " %" : "n/a";

    /// <summary>A signed percentage with two decimals (+0.02%).</summary>
    public static string SignedPercent(double share)
    {
        if (!double.IsFinite(share))
        {
            return "n/a";
        }

        // Adding 0.0 turns a rounded -0 into +0, so a tiny negative error prints as +0.00%, not +-0.00%.
        var rounded = Math.Round(100 * share, 2) + 0.0;
        return (rounded >= 0 ? "+" : string.Empty) + rounded.ToString("F2", Invariant) + "%";
    }

    public static string Ratio(double value) => double.IsFinite(value) ? value.ToString("F2", Invariant) : "n/a";

    public static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, Invariant) : "n/a";
}
