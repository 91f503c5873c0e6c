namespace ClickstreamApi.LoadBench.Measuring;

/// <summary>
/// The events the service's daily profile schedules between two moments, worked out here from the
/// profile as the API documents it (not from the service's code), so a backfill's count is checked
/// against an independent figure: the rate is trough × (1 + (ratio − 1) × shape), shape rising along
/// half a cosine from 0 at the trough hour to 1 at the peak hour and falling back along another,
/// trough = 2 × rate / (1 + ratio) so a weekday averages the rate, Saturdays and Sundays × the
/// weekend factor. Integrated numerically (Simpson's rule, one-second steps).
/// </summary>
internal static class DailyProfile
{
    public const double DefaultPeakHour = 20;
    public const double DefaultTroughHour = 4;
    public const double DefaultPeakToTroughRatio = 6;
    public const double DefaultWeekendFactor = 1.2;

    /// <summary>∫ rate dt from <paramref name="from"/> to <paramref name="to"/>: the expected events (event k falls where this reaches k, the first at the start).</summary>
    public static double Events(double eventsPerSecond, DateTimeOffset from, DateTimeOffset to, double? peakHour = null, double? troughHour = null, double? ratio = null, double? weekendFactor = null)
    {
        var peak = peakHour ?? DefaultPeakHour;
        var trough = troughHour ?? DefaultTroughHour;
        var r = ratio ?? DefaultPeakToTroughRatio;
        var weekend = weekendFactor ?? DefaultWeekendFactor;
        var rising = Modulo(peak - trough, 24);
        var falling = 24 - rising;
        var troughRate = 2 * eventsPerSecond / (1 + r);

        double Rate(DateTimeOffset at)
        {
            var utc = at.UtcDateTime;
            var hour = utc.TimeOfDay.TotalHours;
            var sinceTrough = Modulo(hour - trough, 24);
            var shape = sinceTrough < rising
                ? (1 - Math.Cos(Math.PI * sinceTrough / rising)) / 2
                : (1 + Math.Cos(Math.PI * (sinceTrough - rising) / falling)) / 2;
            var day = utc.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? weekend : 1;
            return day * troughRate * (1 + ((r - 1) * shape));
        }

        var seconds = (to - from).TotalSeconds;
        var steps = Math.Max(2, (int)Math.Ceiling(seconds));
        steps += steps % 2;
        var h = seconds / steps;
        var sum = Rate(from) + Rate(to);
        for (var i = 1; i < steps; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Rate(from.AddSeconds(i * h));
        }

        return sum * h / 3;
    }

    private static double Modulo(double value, double divisor) => value - (Math.Floor(value / divisor) * divisor);
}
