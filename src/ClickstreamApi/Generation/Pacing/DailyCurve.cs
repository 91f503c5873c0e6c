namespace ClickstreamApi.Generation.Pacing;

/// <summary>
/// The <see cref="RateProfileKind.Daily"/> rate: a day and night curve on the clock (UTC) that
/// rises along half a cosine from its trough hour to its peak hour and falls along another half
/// back to the trough, peak and trough in the profile's ratio, scaled by the weekend factor on
/// Saturdays and Sundays. Over a weekday it averages the profile's rate exactly (each half cosine
/// averages halfway between trough and peak), so "100 events/s daily" is 8.64 million events a
/// weekday. N(t) is in closed form; its inverse is found by Newton steps inside a bracket.
/// </summary>
internal sealed class DailyCurve : IRateCurve
{
    private const double SecondsPerDay = 86_400;
    private const double SecondsPerHour = 3_600;

    private readonly double _troughRate;
    private readonly double _ratio;
    private readonly double _weekend;
    private readonly double _troughHour;
    private readonly double _rising;
    private readonly double _falling;

    // The curve's start, as whole days since the Unix epoch and seconds into that day.
    private readonly long _originDay;
    private readonly double _originSecondOfDay;
    private readonly double _originCumulative;

    // The last event found: the next one is usually just after it, so Newton starts there.
    private double _lastIndex;
    private double _lastSeconds;

    public DailyCurve(RateProfile profile, DateTimeOffset origin)
    {
        _ratio = profile.PeakToTroughRatio.GetValueOrDefault(RateProfile.DefaultPeakToTroughRatio);
        _weekend = profile.WeekendFactor.GetValueOrDefault(RateProfile.DefaultWeekendFactor);
        _troughHour = profile.TroughHour.GetValueOrDefault(RateProfile.DefaultTroughHour);
        var peakHour = profile.PeakHour.GetValueOrDefault(RateProfile.DefaultPeakHour);
        _rising = Modulo(peakHour - _troughHour, 24);
        _falling = 24 - _rising;

        // Mean of 1 + (ratio - 1) f over a day is (1 + ratio) / 2, since f averages 1/2.
        _troughRate = 2 * profile.EventsPerSecond / (1 + _ratio);
        var unixSeconds = origin.ToUnixTimeMilliseconds() / 1000.0;
        _originDay = (long)Math.Floor(unixSeconds / SecondsPerDay);
        _originSecondOfDay = unixSeconds - (_originDay * SecondsPerDay);
        _originCumulative = WithinDay(_originDay, _originSecondOfDay);
    }

    /// <summary>The highest rate the curve reaches (the peak of a weekend day when the factor is above 1).</summary>
    public static double PeakRate(RateProfile profile)
    {
        var ratio = profile.PeakToTroughRatio.GetValueOrDefault(RateProfile.DefaultPeakToTroughRatio);
        var weekend = profile.WeekendFactor.GetValueOrDefault(RateProfile.DefaultWeekendFactor);
        return 2 * profile.EventsPerSecond * ratio / (1 + ratio) * Math.Max(1, weekend);
    }

    public double RateAt(double seconds)
    {
        var (day, secondOfDay) = Split(Math.Max(0, seconds));
        return DayFactor(day) * _troughRate * (1 + ((_ratio - 1) * Shape(secondOfDay / SecondsPerHour)));
    }

    public double CumulativeEvents(double seconds)
    {
        var (day, secondOfDay) = Split(Math.Max(0, seconds));
        return FullDays(_originDay, day) + WithinDay(day, secondOfDay) - _originCumulative;
    }

    public double SecondsUntilEvent(double index)
    {
        if (index <= 0)
        {
            return 0;
        }

        // N is continuous and strictly increasing (the rate never reaches 0): bracket, then Newton
        // steps that fall back to bisection whenever they leave the bracket. Events are asked for
        // in order, so the last one found brackets from below and its rate gives the first step.
        var slowest = _troughRate * Math.Min(1, _weekend);
        double low, high, t;
        if (index >= _lastIndex && _lastIndex > 0)
        {
            low = _lastSeconds;
            high = _lastSeconds + Math.Max(1, (index - _lastIndex) / slowest);
            t = _lastSeconds + ((index - _lastIndex) / Math.Max(RateAt(_lastSeconds), 1e-12));
        }
        else
        {
            low = 0;
            high = Math.Max(1, index / slowest);
            t = index / (_troughRate * (1 + _ratio) / 2);
        }

        t = t > low && t < high ? t : (low + high) / 2;
        for (var i = 0; i < 200; i++)
        {
            var error = CumulativeEvents(t) - index;
            if (error > 0)
            {
                high = t;
            }
            else
            {
                low = t;
            }

            if (high - low <= Math.Max(1e-9, t * 1e-15) || Math.Abs(error) <= index * 1e-13)
            {
                break;
            }

            var next = t - (error / Math.Max(RateAt(t), 1e-12));
            t = next > low && next < high ? next : (low + high) / 2;
        }

        _lastIndex = index;
        _lastSeconds = t;
        return t;
    }

    private (long Day, double SecondOfDay) Split(double seconds)
    {
        var absolute = _originSecondOfDay + seconds;
        var days = Math.Floor(absolute / SecondsPerDay);
        return (_originDay + (long)days, absolute - (days * SecondsPerDay));
    }

    /// <summary>Events from the start of <paramref name="day"/> to <paramref name="secondOfDay"/> into it.</summary>
    private double WithinDay(long day, double secondOfDay) =>
        DayFactor(day) * _troughRate * SecondsPerHour * ShapeIntegralFromMidnight(secondOfDay / SecondsPerHour);

    /// <summary>Events of the whole days from <paramref name="fromDay"/> up to (not including) <paramref name="toDay"/>.</summary>
    private double FullDays(long fromDay, long toDay)
    {
        var days = toDay - fromDay;
        var weekendDays = WeekendDaysBefore(toDay) - WeekendDaysBefore(fromDay);
        var perDay = _troughRate * SecondsPerDay * (1 + _ratio) / 2;
        return perDay * ((days - weekendDays) + (weekendDays * _weekend));
    }

    private double DayFactor(long day) => IsWeekend(day) ? _weekend : 1;

    // Day 0 of the Unix epoch was a Thursday: days 2 and 3 of every week are Saturday and Sunday.
    private static bool IsWeekend(long day) => Modulo(day, 7) is 2 or 3;

    /// <summary>Saturdays and Sundays among days 0 .. day - 1 counted from the epoch (negative days count backwards).</summary>
    private static long WeekendDaysBefore(long day)
    {
        var weeks = (long)Math.Floor(day / 7.0);
        var rest = day - (weeks * 7);
        return (weeks * 2) + Math.Clamp(rest - 2, 0, 2);
    }

    /// <summary>0 at the trough hour, 1 at the peak hour, half cosines between.</summary>
    private double Shape(double hour)
    {
        var sinceTrough = Modulo(hour - _troughHour, 24);
        return sinceTrough < _rising
            ? (1 - Math.Cos(Math.PI * sinceTrough / _rising)) / 2
            : (1 + Math.Cos(Math.PI * (sinceTrough - _rising) / _falling)) / 2;
    }

    /// <summary>∫ (1 + (ratio - 1) shape) over clock hours 0 .. <paramref name="hour"/>.</summary>
    private double ShapeIntegralFromMidnight(double hour)
    {
        var start = Modulo(-_troughHour, 24);
        var end = start + hour;
        var shape = end <= 24 ? ShapeIntegral(end) - ShapeIntegral(start) : ShapeIntegral(24) - ShapeIntegral(start) + ShapeIntegral(end - 24);
        return hour + ((_ratio - 1) * shape);
    }

    /// <summary>∫ shape over hours 0 .. <paramref name="sinceTrough"/> after the trough (0 to 24).</summary>
    private double ShapeIntegral(double sinceTrough)
    {
        if (sinceTrough <= _rising)
        {
            return (sinceTrough / 2) - (_rising / (2 * Math.PI) * Math.Sin(Math.PI * sinceTrough / _rising));
        }

        var intoFall = sinceTrough - _rising;
        return (_rising / 2) + (intoFall / 2) + (_falling / (2 * Math.PI) * Math.Sin(Math.PI * intoFall / _falling));
    }

    private static double Modulo(double value, double divisor) => value - (Math.Floor(value / divisor) * divisor);

    private static long Modulo(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
