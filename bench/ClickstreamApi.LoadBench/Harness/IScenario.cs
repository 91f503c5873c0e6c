namespace ClickstreamApi.LoadBench.Harness;

/// <summary>One benchmark scenario: reads its options, then runs and reports.</summary>
internal interface IScenario
{
    /// <summary>The name on the command line (<c>-- throughput</c>).</summary>
    string Name { get; }

    /// <summary>What the scenario measures, as the heading of its table.</summary>
    string Title { get; }

    /// <summary>Its options with their defaults, for the usage text.</summary>
    string Usage { get; }

    /// <summary>Whether <c>all</c> runs it (<c>smoke</c> runs every scenario).</summary>
    bool InAll { get; }

    /// <summary>Reads the options (or takes the shortened smoke settings) and returns the run.</summary>
    PreparedScenario Prepare(BenchArguments arguments, bool smoke);
}

/// <summary>A scenario with its settings fixed.</summary>
/// <param name="Arguments">The options that run it alone with these settings (<c>--seconds 30 ...</c>).</param>
/// <param name="RunAsync">Runs it, writing its tables to the context's report.</param>
internal sealed record PreparedScenario(string Arguments, Func<BenchContext, CancellationToken, Task> RunAsync);
