using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Security;

/// <summary>Kafka credentials and the API key configured for the service never come back out of it.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class SecretsTests
{
    [Fact]
    public async Task Configured_secrets_never_appear_in_logs_responses_or_error_messages()
    {
        var marker = Guid.NewGuid().ToString("N");
        var secrets = new Dictionary<string, string>
        {
            ["sasl.password"] = $"sasl-password-{marker}",
            ["ssl.key.password"] = $"ssl-key-password-{marker}",
            ["sasl.oauthbearer.client.secret"] = $"oauth-client-secret-{marker}",
        };
        var apiKey = $"api-key-{marker}";
        var environment = new Dictionary<string, string>
        {
            ["Security__ApiKey"] = apiKey,
            ["Generator__AutoStart"] = "false",
            ["Observability__SummaryIntervalSeconds"] = "0",
            // Everything librdkafka says about security and its configuration, at Debug level.
            ["Serilog__MinimumLevel__Default"] = "Debug",
        };
        foreach (var client in new[] { "Producer", "Consumer" })
        {
            // SASL over plaintext to the embedded cluster, which does not speak SASL: the clients try,
            // fail and log their errors, which is exactly where a careless log would show a password.
            environment[$"Kafka__{client}__security.protocol"] = "SASL_PLAINTEXT";
            environment[$"Kafka__{client}__sasl.mechanisms"] = "PLAIN";
            environment[$"Kafka__{client}__sasl.username"] = $"user-{marker}";
            environment[$"Kafka__{client}__debug"] = "security,broker,conf";
            foreach (var (key, value) in secrets)
            {
                environment[$"Kafka__{client}__{key}"] = value;
            }
        }

        await using var app = AppProcess.Start(environment);
        await app.WaitForHttpAsync();
        var responses = new List<string>();
        var ct = TestContext.Current.CancellationToken;
        foreach (var path in new[] { "/api/kafka", "/health/ready", "/api/generator", "/api/stats", "/api/events/rejected", "/swagger/v1/swagger.json" })
        {
            using var response = await app.Http.GetAsync(path, ct);
            responses.Add(await response.Content.ReadAsStringAsync(ct));
        }

        using (var refused = await app.Http.PostAsync("/api/generator/start", null, ct))
        {
            responses.Add(await refused.Content.ReadAsStringAsync(ct));
        }

        using (var badBody = new HttpRequestMessage(HttpMethod.Put, "/api/generator/rate") { Content = JsonContent.Create(new { eventsPerSecond = "x" }) })
        {
            badBody.Headers.Add("X-Api-Key", apiKey);
            using var response = await app.Http.SendAsync(badBody, ct);
            responses.Add(await response.Content.ReadAsStringAsync(ct));
        }

        // The clients dumped their configuration (debug=conf) and really tried SASL: the scan below
        // looks at the lines where a password would show.
        await Eventually.Until(
            () => Task.FromResult(app.Output),
            log => log.Contains("sasl.password =", StringComparison.Ordinal) && log.Contains("SASL authentication", StringComparison.Ordinal),
            "the Kafka clients to log their configuration and SASL attempts");
        await app.TerminateAsync();
        Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the process should stop on SIGTERM");
        var log = app.Output;

        TestContext.Current.TestOutputHelper!.WriteLine($"secrets scan: {log.Length} characters of log ({log.Split('\n').Length} lines) and {responses.Sum(r => r.Length)} characters of responses scanned");
        foreach (var secret in secrets.Values.Append(apiKey))
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.All(responses, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// A start-up failure is logged by the bootstrap logger, before the host has read its configuration;
    /// it too masks the secrets and writes the JSON format. In the first case the secret is pasted into
    /// the wrong setting, and the configuration binder quotes it in its error; in the second the error
    /// comes once the host runs, so the app's logger reports it as well.
    /// </summary>
    [Theory]
    [InlineData("Kafka__Partitions", null, "Kafka:Partitions")]
    [InlineData("Security__ApiKey", "too-short", "Security:ApiKey")]
    public async Task A_start_up_failure_neither_prints_a_secret_nor_breaks_the_json_log(string variable, string? value, string key)
    {
        var secret = $"sasl-password-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string>
        {
            ["Observability__LogFormat"] = "Json",
            ["Kafka__Producer__sasl.password"] = secret,
            [variable] = value ?? secret,
        };

        var (exitCode, output, error) = await ExternalTool.RunAsync(
            "dotnet",
            [Repository.AppAssembly, "--urls", $"http://127.0.0.1:{AppProcess.FreePort()}"],
            environment: environment,
            timeout: TimeSpan.FromSeconds(60));

        var lines = (output + error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        TestContext.Current.TestOutputHelper!.WriteLine($"start-up failure: exit code {exitCode}, {lines.Length} log lines");
        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
        var events = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON log line: {line}");
            }
        }).ToList();
        var fatal = Assert.Single(events, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Fatal");
        Assert.Contains(key, fatal.GetProperty("@x").GetString(), StringComparison.Ordinal);
        if (value is null)
        {
            Assert.Contains("'***'", fatal.GetProperty("@x").GetString(), StringComparison.Ordinal);
        }
    }
}
