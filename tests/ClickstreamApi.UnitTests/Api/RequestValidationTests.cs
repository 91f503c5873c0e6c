using Microsoft.AspNetCore.Http;
using System.Text.Json;
using ClickstreamApi.Api;
using ClickstreamApi.Generation;

namespace ClickstreamApi.UnitTests.Api;

public sealed class RequestValidationTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(1_000_000)]
    public void Rates_in_range_are_accepted_as_a_constant_profile(double rate)
    {
        var profile = GeneratorApi.ToProfile(new SetRateRequest(rate), 1, 1_000_000, out var errors);

        Assert.Empty(errors);
        Assert.Equal(RateProfile.Constant(rate), profile);
    }

    [Theory]
    [InlineData(0, "positive")]
    [InlineData(-3, "positive")]
    [InlineData(0.001, "at least 0.01")]
    [InlineData(1_000_001, "at most 1000000")]
    public void Rates_out_of_range_name_the_field_and_the_rule(double rate, string rule)
    {
        Assert.Null(GeneratorApi.ToProfile(new SetRateRequest(rate), 1, 1_000_000, out var errors));

        Assert.Contains(rule, Assert.Single(errors["eventsPerSecond"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_rate_is_required()
    {
        Assert.Null(GeneratorApi.ToProfile(new SetRateRequest(null), 1, 10, out var errors));

        Assert.Contains("eventsPerSecond", errors.Keys);
    }

    [Fact]
    public void A_ramp_without_a_start_ramps_from_the_current_rate()
    {
        var profile = GeneratorApi.ToProfile(new SetRateRequest(500, RateProfileKind.Ramp, RampSeconds: 60), 20, 1_000, out _);

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
        Assert.Null(GeneratorApi.ToProfile(new SetRateRequest(100, kind, burst, pause, rampFrom, rampSeconds), 1, 1_000, out var errors));

        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void A_json_value_of_the_wrong_type_names_the_field_in_words()
    {
        var inner = new JsonException("The JSON value could not be converted to System.Nullable`1[System.Double]. Path: $.eventsPerSecond | LineNumber: 0 | BytePositionInLine: 26.", "$.eventsPerSecond", 0, 26);
        var exception = new BadHttpRequestException("Failed to read parameter", StatusCodes.Status400BadRequest, inner);

        var (field, message) = BadRequestProblemHandler.Describe(exception, "application/json", typeof(SetRateRequest));

        Assert.Equal("eventsPerSecond", field);
        Assert.Equal("Must be a number.", message);
    }

    [Fact]
    public void Broken_json_is_described_without_dotnet_type_names()
    {
        var inner = new JsonException("Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. Path: $ | LineNumber: 0 | BytePositionInLine: 1.", "$", 0, 1);
        var exception = new BadHttpRequestException("Failed to read parameter", StatusCodes.Status400BadRequest, inner);

        var (field, message) = BadRequestProblemHandler.Describe(exception, "application/json");

        Assert.Equal("body", field);
        Assert.StartsWith("The body is not valid JSON: Expected depth to be zero", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int? limit")]
    [InlineData("Nullable<int> limit")]
    [InlineData("Int32 limit")]
    public void An_unparsable_query_value_names_the_parameter(string parameter)
    {
        var exception = new BadHttpRequestException($"Failed to bind parameter \"{parameter}\" from \"abc\".", StatusCodes.Status400BadRequest);

        var (field, message) = BadRequestProblemHandler.Describe(exception, null);

        Assert.Equal("limit", field);
        Assert.Equal("'abc' is not a whole number.", message);
    }

    [Fact]
    public void A_wrong_content_type_names_the_header()
    {
        var exception = new BadHttpRequestException("Expected a supported JSON media type but got \"text/plain\".", StatusCodes.Status415UnsupportedMediaType);

        var (field, message) = BadRequestProblemHandler.Describe(exception, "text/plain");

        Assert.Equal("Content-Type", field);
        Assert.Contains("application/json", message, StringComparison.Ordinal);
    }
}
