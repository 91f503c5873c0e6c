namespace ClickstreamApi.LoadBench.Measuring;

/// <summary>Percentiles, medians and least-squares slopes of measured samples.</summary>
internal static class Statistics
{
    /// <summary>Nearest-rank percentile (the smallest value with at least <paramref name="percentile"/>% of values at or below it) of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// Slope of the least-squares line through the points, with its standard error (how far the
    /// slope could be off given the scatter around the line); NaN for too few points.
    /// </summary>
    public static (double Slope, double StandardError) Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return (double.NaN, double.NaN);
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var covariance = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var variance = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (variance == 0)
        {
            return (double.NaN, double.NaN);
        }

        var slope = covariance / variance;
        if (points.Count < 3)
        {
            return (slope, double.NaN);
        }

        var intercept = meanY - (slope * meanX);
        var residuals = points.Sum(p => Math.Pow(p.Y - (intercept + (slope * p.X)), 2));
        return (slope, Math.Sqrt(residuals / (points.Count - 2) / variance));
    }
}
