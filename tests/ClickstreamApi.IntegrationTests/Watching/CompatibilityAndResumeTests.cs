using System.Text;
using ClickstreamApi.Consumption;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>The original exercise's messages feed the service.</summary>
public sealed class ExerciseCompatibilityTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_message_in_the_exercise_text_format_is_consumed_as_a_click()
    {
        var kafka = await _api.GetKafkaAsync();
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<Null, string> { Value = "User 42 clicked on /page3 at 1732480000.123" }, TestContext.Current.CancellationToken);
        }

        var events = await Eventually.Until(
            () => _api.GetRecentAsync(1000),
            list => list.Any(e => e.GetProperty("userId").GetString() == "42" && e.GetProperty("page").GetString() == "/page3"),
            "the exercise's message in recent");

        var click = events.First(e => e.GetProperty("page").GetString() == "/page3");
        Assert.Equal("click", click.GetProperty("eventType").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1732480000123), click.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_exercise_python_producer_feeds_the_service()
    {
        var python = ExternalTool.PythonWith("confluent_kafka", "python3-confluent-kafka");
        var script = ExerciseProducerScript();
        var kafka = await _api.GetKafkaAsync();
        // The exercise hard-codes localhost:9092 and one click a second; point it at the embedded
        // cluster and shorten the pause, leaving everything else as the exercise wrote it.
        var adapted = script.Replace("'localhost:9092'", $"'{kafka.BootstrapServers}'", StringComparison.Ordinal)
            .Replace("time.sleep(1)", "time.sleep(0.05)", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"clickstream_producer_{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, adapted, TestContext.Current.CancellationToken);
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(python, [path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await Eventually.Until(
                    () => _api.GetRecentAsync(1000),
                    list => list.Count(e => e.GetProperty("page").GetString()!.StartsWith("/page", StringComparison.Ordinal)) >= 5,
                    "five of the exercise producer's clicks in recent");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            Assert.Contains("Message delivered to user_clickstream", await output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string ExerciseProducerScript()
    {
        var seed = Path.Combine(Repository.Root, "..", "shared", "seed");
        var file = Directory.Exists(seed) ? Directory.GetFiles(seed, "*.txt").FirstOrDefault() : null;
        if (file is null)
        {
            Assert.Skip($"the exercise (../shared/seed) is not beside the repository at {seed}");
        }

        // The producer is the first ```python block after its heading.
        var text = File.ReadAllText(file);
        var heading = text.IndexOf("clickstream_producer.py`):", StringComparison.Ordinal);
        var open = text.IndexOf("```python", heading, StringComparison.Ordinal) + "```python".Length;
        var close = text.IndexOf("```", open, StringComparison.Ordinal);
        return text[open..close];
    }
}

/// <summary>Committed offsets: a restarted service resumes where it stopped, on a cluster that outlives it.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class ResumeTests
{
    [Fact]
    public async Task A_restarted_service_resumes_from_its_committed_offsets()
    {
        // A cluster of the test's own, reached as an external cluster, so it survives the service.
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 3);
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:AdminTimeoutSeconds"] = "2",
            ["Kafka:Consumer:group.id"] = "resume-test",
            // The group waits this long for departed members before it rebalances to the new one.
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
        };

        string firstRun;
        using (var first = new ConfiguredAppFactory(settings))
        {
            var api = new ApiClient(first.CreateClient());
            Assert.Equal("external", (await api.GetKafkaAsync()).Mode);
            await api.SetRateAsync(500);
            var run = await api.CompleteRunAsync(new { maxEvents = 100 });
            firstRun = run.RunId!;
            await api.RunEventsAsync(firstRun, 100);
        }

        // While the service is down, someone else writes to the topic.
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                var json = $$"""{"eventId":"{{Guid.NewGuid()}}","userId":"offline-{{i}}","eventType":"click","page":"/while-down","occurredAt":"{{DateTime.UtcNow:O}}"}""";
                producer.Produce("user_clickstream", new Message<string, string> { Key = $"offline-{i}", Value = json });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        using var second = new ConfiguredAppFactory(settings);
        var restarted = new ApiClient(second.CreateClient());
        var events = await Eventually.Until(
            () => restarted.GetRecentAsync(1000),
            list => list.Count(e => e.GetProperty("page").GetString() == "/while-down") == 30,
            "the 30 events written while the service was down");

        Assert.DoesNotContain(events, e => e.GetProperty("runId").ValueKind == System.Text.Json.JsonValueKind.String && e.GetProperty("runId").GetString() == firstRun);
        Assert.Equal(30, events.Count);
    }

    [Fact]
    public async Task A_service_restarted_while_events_flow_loses_and_rereads_nothing()
    {
        const int Total = 20_000;
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("user_clickstream", 3);
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:AdminTimeoutSeconds"] = "2",
            ["Kafka:Consumer:group.id"] = "restart-while-flowing",
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
        };
        var runId = Guid.NewGuid().ToString();
        var ct = TestContext.Current.CancellationToken;

        var first = new ConfiguredAppFactory(settings);
        var firstApi = new ApiClient(first.CreateClient());
        await Eventually.Until(() => firstApi.Http.GetAsync("/health/ready", ct), r => r.IsSuccessStatusCode, "the first instance to be ready");
        var firstConsumer = first.Services.GetRequiredService<ConsumerState>();

        // Another producer writes a run of Total events at about 2,500 a second throughout.
        var producing = Task.Run(
            async () =>
            {
                using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5 }).Build();
                for (var seq = 1; seq <= Total; seq++)
                {
                    var json = $$"""{"eventId":"{{Guid.NewGuid()}}","runId":"{{runId}}","seq":{{seq}},"userId":"u{{seq % 97}}","eventType":"click","page":"/restart","occurredAt":"{{DateTime.UtcNow:O}}"}""";
                    producer.Produce("user_clickstream", new Message<string, string> { Key = $"u{seq % 97}", Value = json });
                    if (seq % 25 == 0)
                    {
                        await Task.Delay(10, ct);
                    }
                }

                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
            },
            ct);

        await Eventually.Until(() => Task.FromResult(firstConsumer.Consumed), n => n >= 2_000, "the first instance to read part of the run");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await first.DisposeAsync(); // host stop: the consumer commits its offsets as it closes
        var readByFirst = firstConsumer.Consumed;

        using var second = new ConfiguredAppFactory(settings);
        var secondApi = new ApiClient(second.CreateClient());
        var secondConsumer = second.Services.GetRequiredService<ConsumerState>();
        await Eventually.Until(() => Task.FromResult(secondConsumer.Consumed), n => n > 0, "the second instance to read again", TimeSpan.FromSeconds(60));
        var resumedAfter = stopwatch.Elapsed;
        await producing;
        await Eventually.Until(() => Task.FromResult(readByFirst + secondConsumer.Consumed), n => n >= Total, "both instances together to read the whole run", TimeSpan.FromSeconds(60));
        // Everything on the topic read: a re-read has nowhere left to come from.
        await TopicEnds.AwaitConsumedAsync(secondApi, TopicEnds.Query(cluster.BootstrapServers, "user_clickstream"));
        var (response, stats) = await secondApi.GetJsonAsync("/api/stats");
        response.Dispose();
        var run = stats.GetProperty("integrity").GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("runId").GetString() == runId);

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"restart figures: {Total} events written; first instance read {readByFirst}, second {secondConsumer.Consumed} "
            + $"(duplicates {run.GetProperty("duplicates").GetInt64()}); reading again {resumedAfter.TotalSeconds:F1} s after the first stopped");
        Assert.InRange(readByFirst, 2_000, Total - 1);
        Assert.Equal(Total, readByFirst + secondConsumer.Consumed);
        Assert.Equal(0, run.GetProperty("duplicates").GetInt64());
        Assert.Equal(Total, run.GetProperty("maxSeq").GetInt64());
    }
}
