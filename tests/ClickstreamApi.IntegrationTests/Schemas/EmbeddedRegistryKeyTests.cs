using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.IntegrationTests.Schemas;

/// <summary>With an API key configured, the embedded registry's writes need it; its reads stay open, as the API's do.</summary>
public sealed class EmbeddedRegistryKeyTests : IDisposable
{
    private const string Key = "registry-key-0123456789";

    private readonly ConfiguredAppFactory _factory = new(new() { ["Security:ApiKey"] = Key });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Registering_needs_the_key_in_x_api_key_or_as_the_basic_auth_password()
    {
        var url = (await new ApiClient(_factory.CreateClient()).GetKafkaAsync()).SchemaRegistry.Url!;
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        const string Body = "{\"schema\": \"\\\"string\\\"\"}";

        using var anonymous = await http.PostAsync("/subjects/keyed/versions", Json(Body), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("\"error_code\":40101", await anonymous.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/subjects/keyed/versions") { Content = Json(Body) };
        wrong.Headers.Add("X-Api-Key", Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong, TestContext.Current.CancellationToken)).StatusCode);

        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "/subjects/keyed/versions") { Content = Json(Body) };
        withHeader.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withHeader, TestContext.Current.CancellationToken)).StatusCode);

        // Reads are open.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/subjects/keyed/versions", TestContext.Current.CancellationToken)).StatusCode);

        // Confluent's client with basic.auth.user.info, the key as the password.
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = url,
            BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
            BasicAuthUserInfo = $"anyone:{Key}",
        });
        Assert.True(await client.RegisterSchemaAsync("keyed-client", new Schema("\"long\"", SchemaType.Avro)) > 0);
        using var keyless = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url });
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => keyless.RegisterSchemaAsync("keyless", new Schema("\"int\"", SchemaType.Avro)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task The_service_registers_its_own_schema_with_the_key()
    {
        var api = new ApiClient(_factory.CreateClient());
        api.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);

        var run = await api.CompleteRunAsync(new { maxEvents = 20, format = "avro" });

        Assert.Equal(20, run.RunEvents);
        Assert.NotNull(run.SchemaId);
        Assert.Equal("user_clickstream-value", run.Subject);
    }

    private static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.schemaregistry.v1+json");
        return content;
    }
}
