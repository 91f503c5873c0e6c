namespace ClickstreamApi.Analytics.EventTime;

/// <summary>Tumbling windows aligned to the Unix epoch: the number of the window a time falls in.</summary>
public static class WindowIndex
{
    /// <summary>Whole windows since the Unix epoch, rounding down (before 1970 too).</summary>
    public static long Of(long utcTicks, long windowTicks)
    {
        var index = Math.DivRem(utcTicks - DateTimeOffset.UnixEpoch.UtcTicks, windowTicks, out var rest);
        return rest < 0 ? index - 1 : index;
    }
}
