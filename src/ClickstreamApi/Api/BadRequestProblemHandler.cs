using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace ClickstreamApi.Api;

/// <summary>
/// Turns the framework's request-binding failures (malformed JSON, wrong types, wrong content type,
/// unparsable query values, oversized bodies) into a problem document that names the field and the
/// rule, instead of a bare 400 or a 500.
/// </summary>
internal sealed partial class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        // The middleware clears the endpoint before calling handlers; the feature keeps the original.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var requestType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var (field, message) = Describe(badRequest, httpContext.Request.ContentType, requestType);
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                _ => "The request is not valid.",
            },
            Detail = message,
        };
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static (string Field, string Message) Describe(BadHttpRequestException exception, string? contentType, Type? requestType = null)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Content-Type", $"Send the body as application/json (got '{contentType ?? "none"}').");
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("body", exception.Message);
        }

        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json, requestType);
        }

        var binding = BindingFailure().Match(exception.Message);
        if (binding.Success)
        {
            var type = binding.Groups["type"].Value;
            return (binding.Groups["name"].Value, $"'{binding.Groups["value"].Value}' is not {Describe(type)}.");
        }

        if (exception.Message.Contains("body was provided", StringComparison.Ordinal))
        {
            return ("body", "A JSON request body is required.");
        }

        return ("request", exception.Message);
    }

    private static (string Field, string Message) DescribeJson(JsonException json, Type? requestType)
    {
        var path = json.Path;
        var field = string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        if (field != "body" && IsConversionFailure(json))
        {
            // The serializer names the type it failed to build, which for constructor-bound records is the
            // request type rather than the field's; the endpoint's request type says what the field wants.
            var propertyType = requestType?.GetProperties()
                .FirstOrDefault(p => string.Equals(JsonNamingPolicy.CamelCase.ConvertName(p.Name), field, StringComparison.Ordinal))
                ?.PropertyType;
            var expected = propertyType is null ? null : Nullable.GetUnderlyingType(propertyType) ?? propertyType;
            return (field, expected is null ? "Has a value of the wrong type."
                : expected.IsEnum ? $"Must be one of: {string.Join(", ", Enum.GetNames(expected).Select(JsonNamingPolicy.CamelCase.ConvertName))}."
                : $"Must be {Describe(expected.Name)}.");
        }

        if (IsConversionFailure(json))
        {
            return ("body", "Must be a JSON object of the documented shape.");
        }

        // Syntax errors: the parser's message says what and where, with no .NET type names in it.
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return ("body", "The body is not valid JSON: " + (cut > 0 ? message[..cut] : message) + LineInfo(json));
    }

    private static bool IsConversionFailure(JsonException json) =>
        json.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal);

    private static string LineInfo(JsonException json) =>
        json.BytePositionInLine is { } position ? $" (line {json.LineNumber + 1}, byte {position + 1})" : string.Empty;

    /// <summary>A type name such as "Double", "int?" or "Nullable&lt;int&gt;" in words: "a number".</summary>
    private static string Describe(string type)
    {
        var name = type.Replace("Nullable<", string.Empty, StringComparison.Ordinal).TrimEnd('>', '?');
        name = name[(name.LastIndexOf('.') + 1)..];
        return name switch
        {
            "Double" or "double" or "Single" or "float" or "Decimal" or "decimal" => "a number",
            "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "Guid" => "a UUID string",
            "DateTimeOffset" or "DateTime" => "an ISO-8601 timestamp",
            _ => "a value of the documented type",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^"]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();
}
