using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Generation;

/// <summary>What a new run should do.</summary>
/// <param name="MaxEvents">Stop by itself after this many delivered events.</param>
/// <param name="Seed">Seed of the simulation (else Generator:Seed, else random).</param>
/// <param name="Format">How the run writes its events (else Output:Format).</param>
/// <param name="Clock">The run's simulated clock; null runs on the wall clock.</param>
public sealed record RunOptions(long? MaxEvents = null, int? Seed = null, OutputFormat? Format = null, SimulatedClock? Clock = null);
