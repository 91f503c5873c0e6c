using System.Net;
using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.IntegrationTests.Schemas;

/// <summary>
/// The embedded Schema Registry speaks Confluent's API: Confluent's own .NET client works against it,
/// the curl calls of Confluent's documentation work unchanged (needs curl), and hostile input gets the
/// registry's documented errors, never a 5xx.
/// </summary>
public sealed class EmbeddedRegistryTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private const string RegistryJson = "application/vnd.schemaregistry.v1+json";
    private const string AvroRecord = """{"type":"record","name":"Probe","namespace":"test","fields":[{"name":"id","type":"string"}]}""";

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Confluent_registry_client_registers_looks_up_and_fetches_schemas()
    {
        var url = await RegistryUrlAsync();
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url });
        var subject = Unique("client-value");

        var id = await client.RegisterSchemaAsync(subject, new Schema(AvroRecord, SchemaType.Avro));
        var again = await client.RegisterSchemaAsync(subject, new Schema(AvroRecord, SchemaType.Avro));
        var jsonId = await client.RegisterSchemaAsync(Unique("client-json"), new Schema("""{"type":"object","properties":{"id":{"type":"string"}}}""", SchemaType.Json));

        Assert.Equal(id, again);
        Assert.NotEqual(id, jsonId);
        using var fresh = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url });
        var fetched = await fresh.GetSchemaAsync(id);
        Assert.Equal(SchemaType.Avro, fetched.SchemaType);
        Assert.Contains("\"Probe\"", fetched.SchemaString, StringComparison.Ordinal);
        Assert.Equal(SchemaType.Json, (await fresh.GetSchemaAsync(jsonId)).SchemaType);
        Assert.Contains(subject, await fresh.GetAllSubjectsAsync());
        Assert.Equal([1], await fresh.GetSubjectVersionsAsync(subject));
        var latest = await fresh.GetLatestSchemaAsync(subject);
        Assert.Equal((id, 1, subject), (latest.Id, latest.Version, latest.Subject));
        var lookedUp = await fresh.LookupSchemaAsync(subject, new Schema(AvroRecord, SchemaType.Avro), ignoreDeletedSchemas: true);
        Assert.Equal(id, lookedUp.Id);

        Assert.Equal(Compatibility.Backward, await fresh.GetCompatibilityAsync());
        Assert.Equal(Compatibility.Full, await fresh.UpdateCompatibilityAsync(Compatibility.Full, subject));
        Assert.Equal(Compatibility.Full, await fresh.GetCompatibilityAsync(subject));
        var withoutDefault = AvroRecord.Replace("}]}", "},{\"name\":\"n\",\"type\":\"int\"}]}", StringComparison.Ordinal);
        Assert.False(await fresh.IsCompatibleAsync(subject, new Schema(withoutDefault, SchemaType.Avro)));
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => fresh.RegisterSchemaAsync(subject, new Schema(withoutDefault, SchemaType.Avro)));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);

        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => fresh.GetSchemaAsync(987_654));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (missing.Status, missing.ErrorCode));
    }

    [Fact]
    public async Task The_curl_calls_of_confluents_documentation_work_unchanged()
    {
        var curl = ExternalTool.Require("curl", "apt-get install curl");
        var url = await RegistryUrlAsync();
        var key = Unique("Kafka-key");
        var value = Unique("Kafka-value");
        const string StringSchema = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";

        async Task<string> Curl(params string[] arguments)
        {
            var (exitCode, output, error) = await ExternalTool.RunAsync(curl, ["-s", "-S", .. arguments]);
            Assert.True(exitCode == 0, error);
            return output;
        }

        // Register a new version of a schema under the subjects "Kafka-key" and "Kafka-value".
        var keyId = await Curl("-X", "POST", "-H", $"Content-Type: {RegistryJson}", "--data", StringSchema, $"{url}/subjects/{key}/versions");
        var valueId = await Curl("-X", "POST", "-H", $"Content-Type: {RegistryJson}", "--data", StringSchema, $"{url}/subjects/{value}/versions");
        Assert.Equal(keyId, valueId);
        var id = JsonDocument.Parse(keyId).RootElement.GetProperty("id").GetInt32();

        // List all subjects, the versions of one, a schema by id, a version, the latest version.
        Assert.Contains($"\"{value}\"", await Curl("-X", "GET", $"{url}/subjects"), StringComparison.Ordinal);
        Assert.Equal("[1]", await Curl("-X", "GET", $"{url}/subjects/{value}/versions"));
        Assert.Equal("{\"schema\":\"\\\"string\\\"\"}", await Curl("-X", "GET", $"{url}/schemas/ids/{id}"));
        var expectedVersion = $"{{\"subject\":\"{value}\",\"version\":1,\"id\":{id},\"schema\":\"\\\"string\\\"\"}}";
        Assert.Equal(expectedVersion, await Curl("-X", "GET", $"{url}/subjects/{value}/versions/1"));
        Assert.Equal(expectedVersion, await Curl("-X", "GET", $"{url}/subjects/{value}/versions/latest"));

        // Check whether a schema has been registered under a subject; test compatibility against the latest version.
        Assert.Equal($"{{\"subject\":\"{key}\",\"version\":1,\"id\":{id},\"schema\":\"\\\"string\\\"\"}}",
            await Curl("-X", "POST", "-H", $"Content-Type: {RegistryJson}", "--data", StringSchema, $"{url}/subjects/{key}"));
        Assert.Equal("{\"is_compatible\":true}",
            await Curl("-X", "POST", "-H", $"Content-Type: {RegistryJson}", "--data", StringSchema, $"{url}/compatibility/subjects/{value}/versions/latest"));

        // Top-level and subject compatibility.
        Assert.Contains("\"compatibilityLevel\":", await Curl("-X", "GET", $"{url}/config"), StringComparison.Ordinal);
        Assert.Equal("{\"compatibility\":\"BACKWARD\"}",
            await Curl("-X", "PUT", "-H", $"Content-Type: {RegistryJson}", "--data", "{\"compatibility\": \"BACKWARD\"}", $"{url}/config/{value}"));

        // Delete version 1 of a subject, then the whole other subject.
        Assert.Equal("1", await Curl("-X", "DELETE", $"{url}/subjects/{value}/versions/1"));
        Assert.Equal("[1]", await Curl("-X", "DELETE", $"{url}/subjects/{key}"));
        Assert.Contains("\"error_code\":40401", await Curl("-X", "GET", $"{url}/subjects/{key}/versions"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, string?, int, int> HostileRequests => new()
    {
        { "GET", "/subjects/nobody/versions", null, null, 404, 40401 },
        { "GET", "/schemas/ids/2000000", null, null, 404, 40403 },
        { "GET", "/schemas/ids/abc", null, null, 404, 404 },
        { "GET", "/subjects/x/versions/abc", null, null, 422, 42202 },
        { "GET", "/subjects/x/versions/0", null, null, 422, 42202 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "{not json", 400, 400 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "[1,2,3]", 400, 400 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "{\"schema\": 5}", 422, 42201 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "{\"schema\": \"{\\\"type\\\": \\\"nope\\\"}\"}", 422, 42201 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "{\"schema\": \"{}\", \"schemaType\": \"XML\"}", 422, 42201 },
        { "POST", "/subjects/hostile/versions", RegistryJson, "{\"schema\": \"{}\", \"schemaType\": \"JSON\", \"references\": 7}", 422, 42201 },
        { "POST", "/subjects/hostile/versions", "text/plain", "{\"schema\": \"\\\"string\\\"\"}", 415, 415 },
        { "POST", "/subjects/hostile/versions", RegistryJson, new string('[', 5000), 400, 400 },
        { "PUT", "/config", RegistryJson, "{\"compatibility\": \"SIDEWAYS\"}", 422, 42203 },
        { "DELETE", "/schemas/ids/1", null, null, 405, 405 },
        { "GET", "/no/such/path", null, null, 404, 404 },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task Hostile_input_gets_the_registrys_documented_error(string method, string path, string? contentType, string? body, int status, int errorCode)
    {
        using var http = new HttpClient { BaseAddress = new Uri(await RegistryUrlAsync()) };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(RegistryJson, response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(errorCode, error.RootElement.GetProperty("error_code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        // The client waits for the server's answer to "Expect: 100-continue" before sending the body;
        // by default only 1 s, after which it sends anyway and a busy machine sees a broken pipe.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(await RegistryUrlAsync()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/subjects/big/versions")
        {
            Content = new StringContent("{\"schema\": \"" + new string('x', 5 * 1024 * 1024) + "\"}", Encoding.UTF8, RegistryJson),
        };
        // As curl does for large bodies: the server answers before the body is sent.
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Random_bodies_and_paths_never_get_a_5xx()
    {
        using var http = new HttpClient { BaseAddress = new Uri(await RegistryUrlAsync()) };
        var random = new Random(17);
        string[] paths = ["/subjects/r/versions", "/subjects/r", "/compatibility/subjects/r/versions/latest", "/config", "/config/r", "/subjects/r/versions/1", "/schemas/ids/1"];
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        string[] fragments = ["{", "}", "\"schema\"", ":", "\"", "\\", "null", "1e999", "[", "]", ",", "\"schemaType\"", "\"AVRO\"", "\"JSON\"", "\"references\"", "\"compatibility\"", "\u0000", "\uffff", "\"type\"", "\"record\""];
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 300; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(0, 20)).Select(_ => fragments[random.Next(fragments.Length)]));
            using var request = new HttpRequestMessage(new HttpMethod(methods[random.Next(methods.Length)]), paths[random.Next(paths.Length)] + (random.Next(4) == 0 ? "%2F%00x" : string.Empty))
            {
                Content = new StringContent(body, Encoding.UTF8, RegistryJson),
            };
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{request.Method} {request.RequestUri} with {body} got {status}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}x{s.Key}")));
    }

    private async Task<string> RegistryUrlAsync()
    {
        var kafka = await _api.GetKafkaAsync();
        Assert.Equal("embedded", kafka.SchemaRegistry.Mode);
        return kafka.SchemaRegistry.Url!;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
