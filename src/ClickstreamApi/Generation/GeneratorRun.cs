using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Generation.Truth;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Generation;

/// <summary>Everything that belongs to one run: its simulation, its random streams, its schedule, its progress.</summary>
internal sealed class GeneratorRun(GeneratorSetpoint state, GeneratorOptions options) : IDisposable
{
    public string Id { get; } = state.RunId!;

    /// <summary>Which start this run is (<see cref="GeneratorSetpoint.RunNumber"/>): a replayed simulated run has the same id, not the same number.</summary>
    public long Number { get; } = state.RunNumber;

    /// <summary>Whether <paramref name="state"/> still asks for this run.</summary>
    public bool IsCurrent(GeneratorSetpoint state) => state.Running && state.RunNumber == Number;

    public OutputFormat Format { get; } = state.Format;

    /// <summary>Whether the run is on a simulated clock (and its ids are reproducible).</summary>
    public bool Simulated { get; } = state.Clock is not null;

    /// <summary>Set before the run's first event (for the registry formats, once the schema is registered).</summary>
    public IEventEncoder? Encoder { get; set; }

    /// <summary>Set with the encoder: when events are due and what time they carry.</summary>
    public IRunSchedule? Schedule { get; set; }

    public EventHeaders? Headers { get; init; }

    /// <summary>Set with the encoder when the dimension topics are on: writes the users and products rows.</summary>
    public IDimensionEncoder? DimensionEncoder { get; set; }

    /// <summary>Set before the run's first event when the dimension topics are on: its rows and their changes.</summary>
    public RunDimensions? Dimensions { get; set; }

    /// <summary>What the run handed to Kafka, in event-time windows: the answer a downstream job should reach.</summary>
    public RunTruth? Truth { get; set; }

    public long? MaxEvents { get; } = state.MaxEvents;

    public ClickSimulator Simulator { get; } = new(options.Users, options.BotShare, state.Seed!.Value, reproducibleIds: state.Clock is not null);

    public FaultInjector Injector { get; } = new(state.Seed!.Value);

    /// <summary>Random gaps for the poisson profile, apart from the simulation's own random numbers.</summary>
    public Random Timing { get; } = new(state.Seed!.Value ^ 0x71A1);

    public RateProfile Profile { get; set; } = state.Profile;

    public FaultSettings Faults { get; set; } = state.Faults;

    public long Seq { get; set; }

    public bool Active { get; set; } = true;

    public bool Finished { get; set; }

    public void Dispose()
    {
        Truth?.Finish();
        Encoder?.Dispose();
        DimensionEncoder?.Dispose();
    }
}
