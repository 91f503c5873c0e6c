using System.Globalization;
using System.Net;
using System.Text;
using ClickstreamApi.IntegrationTests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace ClickstreamApi.IntegrationTests.Security;

/// <summary>A low maximum rate (random valid rates stay cheap) and the chaos endpoints, all under attack.</summary>
public sealed class HostileInputAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Chaos:Enabled"] = "true",
    ["Generator:MaxEventsPerSecond"] = "50",
});

/// <summary>
/// Property-based: FsCheck generates random and boundary values for every query parameter, route
/// value, body and content type. Whatever arrives, the answer is never a 5xx, and every 4xx is a
/// problem document. A failure prints the exact request that caused it.
/// </summary>
public sealed class HostileInputTests(HostileInputAppFactory factory) : IClassFixture<HostileInputAppFactory>
{
    private const int Cases = 150;

    private static readonly string[] Boundaries =
    [
        "", " ", "0", "-0", "1", "-1", "1000", "1001", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
        "1e308", "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "0x10", "1.5", "1,5", " 5", "5 ", "+5", "٣", "null",
        "true", "[]", "{}", "%00", "\0", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "😀", "\u202e",
        new string('9', 400), new string('a', 5000),
    ];

    private readonly HttpClient _http = factory.CreateClient();

    private static Gen<string> Text =>
        Gen.Frequency(
            (3, Gen.Elements(Boundaries)),
            (3, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty)),
            (2, ArbMap.Default.GeneratorFor<double>().Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
            (2, ArbMap.Default.GeneratorFor<long>().Select(l => l.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Random JSON: scalars of every kind, nested arrays and objects, known field names with wrong values.</summary>
    private static Gen<string> Json => Gen.Sized(size => JsonOfDepth(Math.Min(size / 10, 3)));

    [Fact]
    public async Task Random_query_values_never_cause_a_server_error()
    {
        string[] paths = ["/api/events/recent", "/api/stats", "/api/events/rejected", "/api/generator", "/api/kafka", "/api/embedded-kafka"];
        string[] names = ["limit", "after", "userId", "page", "eventType", "top", "windows", "x"];
        var requests = Gen.Zip(Gen.Elements(paths), Gen.ListOf(Gen.Zip(Gen.Elements(names), Text)).Select(p => p.Take(4).ToList()))
            .Select(t => t.Item1 + "?" + string.Join("&", t.Item2.Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2))));

        await CheckAll(requests, path => new HttpRequestMessage(HttpMethod.Get, path));
    }

    [Fact]
    public async Task Random_bodies_never_cause_a_server_error()
    {
        (string Method, string Path)[] targets =
        [
            ("PUT", "/api/generator/rate"), ("PUT", "/api/generator/faults"), ("POST", "/api/generator/start"),
            ("PUT", "/api/embedded-kafka/rtt"), ("POST", "/api/embedded-kafka/errors"),
        ];
        string?[] contentTypes =
        [
            "application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain",
            "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", null,
        ];
        var requests = from target in Gen.Elements(targets)
                       from contentType in Gen.Elements(contentTypes)
                       from body in Json
                       select (target.Method, target.Path, ContentType: contentType, Body: body);

        await CheckAll(requests, request =>
        {
            var (method, path, contentType, body) = request;
            var message = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            if (contentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            return message;
        });
        // Whatever the bodies did, the generator is stopped again for the other tests of this class.
        using var stop = await _http.PostAsync("/api/generator/stop", null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Random_route_values_never_cause_a_server_error()
    {
        // A NUL in the path is refused by Kestrel before routing (400); the in-memory test server throws instead.
        var requests = Text.Where(t => t.Length > 0 && !t.Contains('\0', StringComparison.Ordinal)).Select(t => $"/api/embedded-kafka/brokers/{Uri.EscapeDataString(t)}/up");

        await CheckAll(requests, path => new HttpRequestMessage(HttpMethod.Post, path));
    }

    [Theory]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    [InlineData(8 * 1024 * 1024)]
    public async Task A_body_over_the_limit_gets_a_413_problem(int bytes)
    {
        var body = "{\"eventsPerSecond\": 5, \"pad\": \"" + new string('x', bytes) + "\"}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Security:MaxRequestBodyBytes", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/events/recent")]
    [InlineData("/api/events/rejected")]
    [InlineData("/api/generator")]
    [InlineData("/api/nothing")]
    public async Task Every_answer_tells_the_browser_not_to_sniff_its_type(string path)
    {
        using var response = await _http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "application/json", "application/problem+json" });
    }

    private static Gen<string> JsonOfDepth(int depth)
    {
        string[] fields = ["eventsPerSecond", "profile", "burstSeconds", "pauseSeconds", "rampSeconds", "rampFromEventsPerSecond", "malformed", "duplicate", "late", "lateMaxSeconds", "maxEvents", "seed", "milliseconds", "brokerId", "request", "errorCodes", "repeat"];
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "1e400", "0.5", "9223372036854775808", "\"constant\"", "\"burst\"", "\"produce\"", "[6,7]", "\"\"", "{", "}", "[", "\"\\ud800\""),
            ArbMap.Default.GeneratorFor<double>().Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1"),
            ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(CultureInfo.InvariantCulture)),
            ArbMap.Default.GeneratorFor<string>().Select(s => System.Text.Json.JsonSerializer.Serialize(s ?? string.Empty)),
            Text);
        if (depth <= 0)
        {
            return scalar;
        }

        var inner = JsonOfDepth(depth - 1);
        var member = Gen.Zip(Gen.OneOf(Gen.Elements(fields), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "k")), inner)
            .Select(m => System.Text.Json.JsonSerializer.Serialize(m.Item1) + ":" + m.Item2);
        return Gen.Frequency(
            (2, scalar),
            (4, Gen.ListOf(member).Select(ms => "{" + string.Join(",", ms.Take(6)) + "}")),
            (1, Gen.ListOf(inner).Select(xs => "[" + string.Join(",", xs.Take(6)) + "]")));
    }

    private async Task CheckAll<T>(Gen<T> gen, Func<T, HttpRequestMessage> toRequest)
    {
        var cases = gen.Sample(Cases, 30);
        var statuses = new SortedDictionary<int, int>();
        foreach (var input in cases)
        {
            using var request = toRequest(input);
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{status} for {request.Method} {request.RequestUri}; input: {input}");
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without a problem document for {request.Method} {request.RequestUri}; input: {input}");
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine($"hostile input: {cases.Length} cases, statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }
}
