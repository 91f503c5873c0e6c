namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// What is kept of the last few runs, by run id, newest last: beyond <c>kept</c> the oldest is
/// forgotten (and counted). A run added again (a simulated run replayed has the same id) replaces
/// its older record. Thread-safe.
/// </summary>
public sealed class RecentRuns<T>(int kept, Func<T, string> runIdOf)
    where T : class
{
    private readonly Lock _gate = new();
    private readonly LinkedList<T> _runs = [];
    private long _forgotten;

    /// <summary>Runs forgotten to keep the last <c>kept</c>.</summary>
    public long Forgotten => Interlocked.Read(ref _forgotten);

    /// <summary>The newest run's record, or null before the first.</summary>
    public T? Latest
    {
        get
        {
            lock (_gate)
            {
                return _runs.Last?.Value;
            }
        }
    }

    public T? Find(string runId)
    {
        lock (_gate)
        {
            return FindLocked(runId);
        }
    }

    /// <summary>Keeps <paramref name="run"/> as the newest, in place of any older record of the same id.</summary>
    public void Add(T run)
    {
        lock (_gate)
        {
            if (FindLocked(runIdOf(run)) is { } same)
            {
                _runs.Remove(same);
            }

            AddLocked(run);
        }
    }

    /// <summary>The record of <paramref name="runId"/>, made by <paramref name="create"/> (and kept as the newest) when there is none.</summary>
    public T GetOrAdd(string runId, Func<string, T> create)
    {
        lock (_gate)
        {
            if (FindLocked(runId) is { } known)
            {
                return known;
            }

            var run = create(runId);
            AddLocked(run);
            return run;
        }
    }

    private T? FindLocked(string runId)
    {
        foreach (var run in _runs)
        {
            if (string.Equals(runIdOf(run), runId, StringComparison.Ordinal))
            {
                return run;
            }
        }

        return null;
    }

    private void AddLocked(T run)
    {
        _runs.AddLast(run);
        while (_runs.Count > kept)
        {
            _runs.RemoveFirst();
            Interlocked.Increment(ref _forgotten);
        }
    }
}
