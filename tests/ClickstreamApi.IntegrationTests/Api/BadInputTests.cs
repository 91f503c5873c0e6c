using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Api;

/// <summary>Every kind of bad input gets a 4xx problem document naming the field; never a 500.</summary>
public sealed class BadInputTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    public static TheoryData<string, string, HttpStatusCode, string> RateBodies => new()
    {
        { """{"eventsPerSecond": 0}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": -5}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": 0.001}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": 1e12}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": 1e400}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": "fast"}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": "250"}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": true}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": null}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"rate": 5}""", "application/json", HttpStatusCode.BadRequest, "eventsPerSecond" },
        { """{"eventsPerSecond": 5""", "application/json", HttpStatusCode.BadRequest, "body" },
        { """not json""", "application/json", HttpStatusCode.BadRequest, "body" },
        { """[250]""", "application/json", HttpStatusCode.BadRequest, "body" },
        { """250""", "application/json", HttpStatusCode.BadRequest, "body" },
        { "", "application/json", HttpStatusCode.BadRequest, "body" },
        { """{"eventsPerSecond": 250}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "Content-Type" },
        { """eventsPerSecond=250""", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "Content-Type" },
    };

    [Theory]
    [MemberData(nameof(RateBodies))]
    public async Task Bad_rate_requests_get_a_problem_naming_the_field(string body, string contentType, HttpStatusCode expected, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await _http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        await AssertProblem(response, expected, field);
    }

    [Fact]
    public async Task A_rate_request_without_a_body_or_content_type_gets_a_problem()
    {
        using var response = await _http.PutAsync("/api/generator/rate", null, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}");
        await AssertProblem(response, response.StatusCode, null);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task Out_of_range_or_unparsable_limits_get_a_problem_naming_the_limit(string limit)
    {
        using var response = await _http.GetAsync($"/api/events/recent?limit={limit}", TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.BadRequest, "limit");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1000")]
    public async Task Limits_at_the_bounds_are_accepted(string limit)
    {
        using var response = await _http.GetAsync($"/api/events/recent?limit={limit}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"eventsPerSecond": "fast"}""", "eventsPerSecond", "Must be a number.")]
    [InlineData("""{"eventsPerSecond": 0}""", "eventsPerSecond", "Must be a positive number.")]
    [InlineData("""{"eventsPerSecond": 5000000}""", "eventsPerSecond", "Must be at most 1000000 (Generator:MaxEventsPerSecond).")]
    [InlineData("""{}""", "eventsPerSecond", "The field is required: a number of events per second.")]
    [InlineData("", "body", "A JSON request body is required.")]
    public async Task Rate_problems_say_what_the_rule_is(string body, string field, string message)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _http.PutAsync("/api/generator/rate", content, TestContext.Current.CancellationToken);

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    /// <summary>The framework validates these; the problem still carries the endpoint's title and the client's names.</summary>
    [Theory]
    [InlineData("PUT", "/api/generator/rate", """{"eventsPerSecond": 0}""", "The rate is not valid.", "eventsPerSecond", "Must be a positive number.")]
    [InlineData("PUT", "/api/generator/faults", """{"late": 2}""", "The faults are not valid.", "late", "Must be a share from 0 to 1.")]
    [InlineData("POST", "/api/generator/start", """{"maxEvents": 0}""", "The run options are not valid.", "maxEvents", "Must be between 1 and 1000000000000.")]
    [InlineData("GET", "/api/events/recent?limit=0", null, "The query is not valid.", "limit", "Must be between 1 and 1000.")]
    [InlineData("GET", "/api/events/recent?eventType=", null, "The query is not valid.", "eventType", "Must be 1 to 64 characters when given.")]
    [InlineData("GET", "/api/events/recent?after=-1", null, "The query is not valid.", "after", "Must be a cursor from the X-Next-Cursor header of a previous response.")]
    [InlineData("GET", "/api/stats?windows=0", null, "The query is not valid.", "windows", "Must be between 1 and 20.")]
    public async Task Validation_problems_have_the_endpoints_title_and_the_clients_field_names(
        string method, string path, string? body, string title, string field, string message)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.BadRequest, field);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(message, Assert.Single(problem.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
    }

    [Fact]
    public async Task An_unparsable_limit_says_it_is_not_a_whole_number()
    {
        using var response = await _http.GetAsync("/api/events/recent?limit=abc", TestContext.Current.CancellationToken);

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("'abc' is not a whole number.", problem.RootElement.GetProperty("errors").GetProperty("limit")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_path_gets_a_404_problem()
    {
        using var response = await _http.GetAsync("/api/nothing-here", TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task A_wrong_method_gets_a_405_problem()
    {
        using var response = await _http.DeleteAsync("/api/generator/rate", TestContext.Current.CancellationToken);

        await AssertProblem(response, HttpStatusCode.MethodNotAllowed, null);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode expected, string? field)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        if (field is not null)
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {body}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }
    }
}
