using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Schemas;

/// <summary>
/// Under the default topic subject, the registry refuses a second schema type (as Confluent's does):
/// a json-schema run after an avro one ends at once without events, and the generator says why.
/// </summary>
public sealed class FormatSwitchTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_run_whose_schema_the_subject_refuses_ends_without_events_and_says_why()
    {
        var avro = await _api.CompleteRunAsync(new { maxEvents = 10, format = "avro" });
        Assert.Equal((10L, "user_clickstream-value"), (avro.RunEvents, avro.Subject));

        var refused = await _api.CompleteRunAsync(new { maxEvents = 10, format = "json-schema" });

        Assert.Equal(0, refused.RunEvents);
        Assert.Null(refused.SchemaId);
        Assert.Contains("refused the json-schema schema", refused.SchemaRegistryProblem, StringComparison.Ordinal);
        Assert.Contains("incompatible", refused.SchemaRegistryProblem, StringComparison.Ordinal);

        // Plain JSON needs no registry and still runs.
        var json = await _api.CompleteRunAsync(new { maxEvents = 10, format = "json" });
        Assert.Equal(10, json.RunEvents);
        Assert.Null(json.SchemaRegistryProblem);
    }
}
