namespace ClickstreamApi.Diagnostics;

/// <summary>
/// Lets at most N log lines through per wall-clock second and counts the rest, so per-event logging
/// reads like the original exercise at low rates and cannot flood the log at high ones.
/// One instance per thread: it is not synchronized.
/// </summary>
public sealed class EventLogSampler(int linesPerSecond, TimeProvider time)
{
    private long _windowStart;
    private bool _started;
    private int _inWindow;
    private long _suppressed;

    /// <summary>Lines refused since start.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    public bool TryAcquire()
    {
        var now = time.GetTimestamp();
        if (!_started || now - _windowStart >= time.TimestampFrequency)
        {
            _started = true;
            _windowStart = now;
            _inWindow = 0;
        }

        if (_inWindow < linesPerSecond)
        {
            _inWindow++;
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        return false;
    }
}
