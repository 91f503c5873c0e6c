using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

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

        var (field, message) = Describe(badRequest, httpContext.Request.ContentType);
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

    internal static (string Field, string Message) Describe(BadHttpRequestException exception, string? contentType)
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
            return DescribeJson(json);
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

    private static (string Field, string Message) DescribeJson(JsonException json)
    {
        var path = json.Path;
        var field = string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var conversion = ConversionFailure().Match(json.Message);
        if (conversion.Success)
        {
            return (field, $"Must be {Describe(conversion.Groups["type"].Value.TrimEnd('.'))}.");
        }

        // Syntax errors: the parser's message says what and where, with no .NET type names in it.
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return ("body", "The body is not valid JSON: " + (cut > 0 ? message[..cut] : message) + LineInfo(json));
    }

    private static string LineInfo(JsonException json) =>
        json.BytePositionInLine is { } position ? $" (line {json.LineNumber + 1}, byte {position + 1})" : string.Empty;

    /// <summary>"System.Nullable`1[System.Double]" or "int?" as words: "a number".</summary>
    private static string Describe(string type)
    {
        var name = type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']', '?');
        name = name[(name.LastIndexOf('.') + 1)..];
        return name switch
        {
            "Double" or "double" or "Single" or "float" or "Decimal" or "decimal" => "a number",
            "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "Guid" => "a UUID string",
            "DateTimeOffset" or "DateTime" => "an ISO-8601 timestamp",
            _ => "a JSON object of the documented shape",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^"]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();

    [GeneratedRegex("""could not be converted to (?<type>\S+)""")]
    private static partial Regex ConversionFailure();
}
