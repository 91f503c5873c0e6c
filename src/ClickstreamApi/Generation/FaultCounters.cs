namespace ClickstreamApi.Generation;

/// <summary>Counts of injected faults; read them to reconcile what a downstream consumer saw.</summary>
public sealed class FaultCounters
{
    private long _malformed;
    private long _duplicate;
    private long _late;

    /// <summary>Extra messages sent that are not valid events (expect them as rejected).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Events sent a second time (expect them as duplicate seqs).</summary>
    public long Duplicate => Interlocked.Read(ref _duplicate);

    /// <summary>Events sent with an occurredAt in the past.</summary>
    public long Late => Interlocked.Read(ref _late);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountDuplicate() => Interlocked.Increment(ref _duplicate);

    internal void CountLate() => Interlocked.Increment(ref _late);
}
