namespace ClickstreamApi.Kafka;

/// <summary>
/// Whether the generator is making a live run: on the wall clock, without an end (no maxEvents, no
/// simulated clock). The <see cref="EmbeddedLogRetention"/> deletes committed messages only then:
/// a dataset (a bounded or simulated run) stays whole on the topic for the readers it is made for.
/// </summary>
public interface ILiveRunSignal
{
    bool LiveRunGenerating { get; }
}
