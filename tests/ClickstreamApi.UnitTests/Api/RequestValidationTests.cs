using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClickstreamApi.Analytics;
using ClickstreamApi.Api;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ClickstreamApi.UnitTests.Api;

public sealed class RequestValidationTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    [Theory]
    [InlineData(0.01)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(1_000_000)]
    public void Rates_in_range_are_accepted_as_a_constant_profile(double rate)
    {
        var request = new SetRateRequest(rate);

        Assert.Empty(request.Problems(1, 1_000_000));
        Assert.Equal(RateProfile.Constant(rate), request.ToProfile(1));
    }

    [Theory]
    [InlineData(0, "positive")]
    [InlineData(-3, "positive")]
    [InlineData(0.001, "at least 0.01")]
    [InlineData(1_000_001, "at most 1000000")]
    public void Rates_out_of_range_name_the_field_and_the_rule(double rate, string rule)
    {
        var problems = new SetRateRequest(rate).Problems(1, 1_000_000);

        Assert.Contains(rule, Assert.Single(problems["eventsPerSecond"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_rate_is_required()
    {
        Assert.Contains("eventsPerSecond", new SetRateRequest(null).Problems(1, 10).Keys);
    }

    [Fact]
    public void A_ramp_without_a_start_ramps_from_the_current_rate()
    {
        var profile = new SetRateRequest(500, RateProfileKind.Ramp, RampSeconds: 60).ToProfile(20);

        Assert.Equal(new RateProfile(RateProfileKind.Ramp, 500, RampFromEventsPerSecond: 20, RampSeconds: 60), profile);
    }

    [Theory]
    [InlineData(RateProfileKind.Constant, 1.0, null, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, null, 2.0, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 1.0, null, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Ramp, null, null, null, null, "rampSeconds")]
    [InlineData(RateProfileKind.Poisson, null, null, 5.0, 10.0, "rampFromEventsPerSecond")]
    public void Parameters_that_are_missing_or_do_not_belong_to_the_profile_are_named(
        RateProfileKind kind, double? burst, double? pause, double? rampFrom, double? rampSeconds, string field)
    {
        var problems = new SetRateRequest(100, kind, burst, pause, rampFrom, rampSeconds).Problems(1, 1_000);

        Assert.Contains(field, problems.Keys);
    }

    [Fact]
    public void The_windows_bound_is_the_windows_the_analytics_keep() =>
        Assert.Equal(StatsQuery.MaxWindows, StreamAnalytics.MaxWindows);

    [Theory]
    [InlineData("""{"eventsPerSecond": "fast"}""", "eventsPerSecond", "Must be a number.")]
    [InlineData("""{"eventsPerSecond": true}""", "eventsPerSecond", "Must be a number.")]
    [InlineData("""{"eventsPerSecond": 5, "profile": "bursty"}""", "profile", "Must be one of: constant, poisson, burst, ramp, daily.")]
    [InlineData("""[250]""", "body", "Must be a JSON object of the documented shape.")]
    public void A_json_value_of_the_wrong_type_names_the_field_in_words(string body, string field, string message)
    {
        var (describedField, described) = Describe(Failure<SetRateRequest>(body), Endpoint(body: typeof(SetRateRequest)));

        Assert.Equal(field, describedField);
        Assert.Equal(message, described);
    }

    [Fact]
    public void An_element_of_a_list_is_named_with_its_index_and_the_element_type()
    {
        var (field, message) = Describe(Failure<InjectErrorsRequest>("""{"errorCodes": [6, "x"]}"""), Endpoint(body: typeof(InjectErrorsRequest)));

        Assert.Equal("errorCodes[1]", field);
        Assert.Equal("Must be a whole number.", message);
    }

    [Theory]
    [InlineData("""{"eventsPerSecond": 5""")]
    [InlineData("not json")]
    public void Broken_json_is_described_without_dotnet_type_names(string body)
    {
        var (field, message) = Describe(Failure<SetRateRequest>(body), Endpoint(body: typeof(SetRateRequest)));

        Assert.Equal("body", field);
        Assert.StartsWith("The body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Contains("(line 1, byte ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?limit=abc", "limit", "'abc' is not a whole number.")]
    [InlineData("?userId=x&limit=1.5", "limit", "'1.5' is not a whole number.")]
    [InlineData("?limit=1&limit=2", "limit", "'1,2' is not a whole number.")]
    public void An_unparsable_query_value_names_the_parameter_by_its_query_name(string query, string field, string message)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        var endpoint = Endpoint("/api/events/recent", parameters: nameof(RecentHandler));

        var (describedField, described) = BadRequestProblemHandler.Describe(BindingFailure(), context, endpoint, routeValues: null, Json);

        Assert.Equal(field, describedField);
        Assert.Equal(message, described);
    }

    [Fact]
    public void An_unparsable_route_value_names_the_route_parameter()
    {
        var endpoint = Endpoint("/api/embedded-kafka/brokers/{id}/down", parameters: nameof(BrokerHandler));

        var (field, message) = BadRequestProblemHandler.Describe(
            BindingFailure(), new DefaultHttpContext(), endpoint, new RouteValueDictionary { ["id"] = "one" }, Json);

        Assert.Equal("id", field);
        Assert.Equal("'one' is not a whole number.", message);
    }

    [Fact]
    public void A_missing_body_is_required()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new NoBody());

        var (field, message) = BadRequestProblemHandler.Describe(BindingFailure(), context, Endpoint(body: typeof(SetRateRequest)), null, Json);

        Assert.Equal("body", field);
        Assert.Equal("A JSON request body is required.", message);
    }

    [Fact]
    public void A_wrong_content_type_names_the_header()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "text/plain";
        var exception = new BadHttpRequestException("Expected a supported JSON media type but got \"text/plain\".", StatusCodes.Status415UnsupportedMediaType);

        var (field, message) = BadRequestProblemHandler.Describe(exception, context, Endpoint(body: typeof(SetRateRequest)), null, Json);

        Assert.Equal("Content-Type", field);
        Assert.Contains("application/json", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_keys_become_the_names_the_client_sent()
    {
        var names = ValidationProblems.WireNames(Endpoint(body: typeof(SetRateRequest), parameters: nameof(RecentHandler)), Json);

        Assert.Equal("eventsPerSecond", ValidationProblems.WireName("EventsPerSecond", names));
        Assert.Equal("limit", ValidationProblems.WireName("Limit", names));
        Assert.Equal("burstSeconds", ValidationProblems.WireName("burstSeconds", names));
        Assert.Equal("rampSeconds[0]", ValidationProblems.WireName("RampSeconds[0]", names));
    }

    private static void RecentHandler([FromQuery(Name = "limit")] int? Limit, [FromQuery(Name = "userId")] string? UserId)
    {
    }

    private static void BrokerHandler(int id)
    {
    }

    private static (string Field, string Message) Describe(BadHttpRequestException exception, Endpoint endpoint) =>
        BadRequestProblemHandler.Describe(exception, new DefaultHttpContext(), endpoint, routeValues: null, Json);

    /// <summary>What the framework throws when the serializer fails on <paramref name="body"/>: the real serializer's exception inside.</summary>
    private static BadHttpRequestException Failure<T>(string body)
    {
        var json = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<T>(Encoding.UTF8.GetBytes(body), Json));
        return new BadHttpRequestException($"Failed to read parameter \"{typeof(T).Name} request\" from the request body as JSON.", StatusCodes.Status400BadRequest, json);
    }

    /// <summary>The framework's binding failure; its message is deliberately not one the handler could parse.</summary>
    private static BadHttpRequestException BindingFailure() => new("(message not read)", StatusCodes.Status400BadRequest);

    private static RouteEndpoint Endpoint(string pattern = "/", Type? body = null, string? parameters = null)
    {
        var metadata = new List<object>();
        if (body is not null)
        {
            metadata.Add(new Accepts(body));
        }

        if (parameters is not null)
        {
            var method = typeof(RequestValidationTests).GetMethod(parameters, BindingFlags.NonPublic | BindingFlags.Static)!;
            metadata.AddRange(method.GetParameters().Select(p => new Binding(p)));
        }

        return new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection(metadata), "test");
    }

    private sealed class Accepts(Type requestType) : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = ["application/json"];

        public Type? RequestType { get; } = requestType;

        public bool IsOptional => false;
    }

    private sealed class Binding(ParameterInfo parameter) : IParameterBindingMetadata
    {
        public string Name => ParameterInfo.Name!;

        public bool IsOptional => false;

        public bool HasTryParse => true;

        public bool HasBindAsync => false;

        public ParameterInfo ParameterInfo { get; } = parameter;
    }

    private sealed class NoBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => false;
    }
}
