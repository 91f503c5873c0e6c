using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

/// <summary>
/// A fake clock whose timestamps count nanoseconds from an arbitrary origin, as on Linux
/// (FakeTimeProvider's count TimeSpan ticks from year 1, which hides a timestamp read as ticks), and
/// whose wall clock can step (as NTP steps it) without the monotonic clock moving.
/// </summary>
internal sealed class NanosecondClock(DateTimeOffset start) : TimeProvider
{
    private const long Origin = 987_654_321_000;

    private readonly FakeTimeProvider _clock = new(start);
    private readonly long _start = new FakeTimeProvider(start).GetTimestamp();
    private TimeSpan _step;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Origin + ((_clock.GetTimestamp() - _start) * 100);

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow() + _step;

    /// <summary>Both clocks move on.</summary>
    public void Advance(TimeSpan by) => _clock.Advance(by);

    /// <summary>The wall clock jumps; the monotonic clock does not.</summary>
    public void StepWallClock(TimeSpan by) => _step += by;
}
