using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.Generation;

/// <summary>Run ids that carry no wall clock, for datasets that must come out the same every time.</summary>
public static class RunIds
{
    /// <summary>
    /// A UUIDv7 whose time is the simulated start and whose random bits come from the seed and the
    /// start: the same run replayed has the same id (its consumer then counts the replay's events as
    /// duplicates, which they are), a different seed or start a different one.
    /// </summary>
    public static string Simulated(int seed, DateTimeOffset startAt)
    {
        var ticks = startAt.UtcTicks;
        var mixed = seed ^ (int)ticks ^ (int)(ticks >> 32) ^ 0x5EED_C10C;
        return new UuidV7(mixed).Create(startAt).ToString();
    }
}
