using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// Turns the framework's request-binding failures (malformed JSON, wrong types, wrong content type,
/// unparsable query or route values, missing or oversized bodies) into a problem document that names
/// the field and the rule, instead of a bare 400 or a 500. These failures happen before validation,
/// so AddValidation never sees them.
/// </summary>
/// <remarks>
/// Everything is read from structure, not from the exception's message: the status code, the
/// serializer's <see cref="JsonException.Path"/> and the kind of its inner exception (the reader's for
/// syntax, none or a conversion error otherwise), the endpoint's metadata (its body type, the
/// parameters it binds and their names). The one exception is an unparsable query or route value:
/// the framework's <see cref="BadHttpRequestException"/> says which parameter failed only in its
/// message, so the handler finds the value that does not parse as its parameter's type, the same
/// TryParse the framework ran.
/// </remarks>
internal sealed class BadRequestProblemHandler(IProblemDetailsService problems, IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        // The middleware clears the endpoint and route values before calling handlers; the feature keeps them.
        var feature = httpContext.Features.Get<IExceptionHandlerFeature>();
        var (field, message) = Describe(badRequest, httpContext, feature?.Endpoint, feature?.RouteValues, json.Value.SerializerOptions);
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

    internal static (string Field, string Message) Describe(
        BadHttpRequestException exception, HttpContext context, Endpoint? endpoint, RouteValueDictionary? routeValues, JsonSerializerOptions json)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Content-Type", $"Send the body as application/json (got '{context.Request.ContentType ?? "none"}').");
        }

        // Kestrel's own refusals (a body over the limit, a malformed or cut-off request) derive from the
        // framework's exception; their message is the description.
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge || exception.GetType() != typeof(BadHttpRequestException))
        {
            return (exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "body" : "request", exception.Message);
        }

        var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (exception.InnerException is JsonException jsonException)
        {
            return DescribeJson(jsonException, body, json);
        }

        if (endpoint is not null && UnparsableUrlValue(endpoint, context.Request, routeValues) is { } failed)
        {
            return (failed.Name, $"'{failed.Value}' is not {Words(failed.Type)}.");
        }

        if (body is not null)
        {
            // What is left on an endpoint with a body: none was sent, or it was JSON null.
            return context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false
                ? ("body", "A JSON request body is required.")
                : ("body", "Must be a JSON object of the documented shape.");
        }

        return ("request", exception.Message);
    }

    private static (string Field, string Message) DescribeJson(JsonException exception, Type? body, JsonSerializerOptions json)
    {
        var path = exception.Path;
        var field = string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

        // The reader's errors (syntax) come wrapped, with the reader's exception inside; a value the
        // serializer could not convert comes bare or around the converter's error.
        if (exception.InnerException is JsonException syntax)
        {
            // The reader's sentence says what and where, with no .NET type names in it; the position is added in words.
            var message = syntax.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return ("body", "The body is not valid JSON: " + (cut > 0 ? message[..cut] : message) + LineInfo(exception));
        }

        if (field == "body")
        {
            return ("body", "Must be a JSON object of the documented shape.");
        }

        var expected = FieldType(body, field, json);
        return (field, expected is null ? "Has a value of the wrong type."
            : expected.IsEnum ? $"Must be one of: {string.Join(", ", Enum.GetNames(expected).Select(JsonNamingPolicy.CamelCase.ConvertName))}."
            : $"Must be {Words(expected)}.");
    }

    /// <summary>The type <paramref name="field"/> (<c>eventsPerSecond</c>, <c>errorCodes[1]</c>) takes in the body, as the serializer names it.</summary>
    private static Type? FieldType(Type? body, string field, JsonSerializerOptions json)
    {
        if (body is null)
        {
            return null;
        }

        var index = field.IndexOf('[', StringComparison.Ordinal);
        var name = index < 0 ? field : field[..index];
        var type = json.GetTypeInfo(body).Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))?.PropertyType;
        if (type is not null && index >= 0)
        {
            type = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>The first query or route value the endpoint binds that does not parse as its parameter's type.</summary>
    private static (string Name, string Value, Type Type)? UnparsableUrlValue(Endpoint endpoint, HttpRequest request, RouteValueDictionary? routeValues)
    {
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern;
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            var info = parameter.ParameterInfo;
            var type = Nullable.GetUnderlyingType(info.ParameterType) ?? info.ParameterType;
            if (!UrlTypes.TryGetValue(type, out var parses) || IsBoundElsewhere(info))
            {
                continue;
            }

            var name = ValidationProblems.UrlName(info) ?? parameter.Name;
            var fromRoute = info.GetCustomAttributes(inherit: true).OfType<IFromRouteMetadata>().Any() || pattern?.GetParameter(name) is not null;
            var value = fromRoute ? Convert.ToString(routeValues?[name], CultureInfo.InvariantCulture) : request.Query[name].ToString();
            if (!string.IsNullOrEmpty(value) && !parses.Parses(value))
            {
                return (name, value, type);
            }
        }

        return null;
    }

    private static bool IsBoundElsewhere(ParameterInfo parameter) =>
        parameter.GetCustomAttributes(inherit: true).Any(a => a is IFromBodyMetadata or IFromServiceMetadata or IFromHeaderMetadata or IFromFormMetadata);

    private static string LineInfo(JsonException exception) =>
        exception.BytePositionInLine is { } position ? $" (line {exception.LineNumber + 1}, byte {position + 1})" : string.Empty;

    /// <summary>What a value of <paramref name="type"/> is, in words: "a number".</summary>
    private static string Words(Type type) =>
        UrlTypes.TryGetValue(type, out var known) ? known.Words
        : type == typeof(string) ? "a string"
        : type == typeof(DateTime) ? "an ISO-8601 timestamp"
        : "a value of the documented type";

    /// <summary>The types the framework parses from a query or route value (with TryParse, invariant culture), in words.</summary>
    private static readonly Dictionary<Type, (string Words, Func<string, bool> Parses)> UrlTypes = new()
    {
        [typeof(int)] = ("a whole number", Parses<int>),
        [typeof(long)] = ("a whole number", Parses<long>),
        [typeof(short)] = ("a whole number", Parses<short>),
        [typeof(double)] = ("a number", Parses<double>),
        [typeof(float)] = ("a number", Parses<float>),
        [typeof(decimal)] = ("a number", Parses<decimal>),
        [typeof(bool)] = ("true or false", Parses<bool>),
        [typeof(Guid)] = ("a UUID string", Parses<Guid>),
        [typeof(DateTimeOffset)] = ("an ISO-8601 timestamp", Parses<DateTimeOffset>),
    };

    private static bool Parses<T>(string value)
        where T : IParsable<T> => T.TryParse(value, CultureInfo.InvariantCulture, out _);
}
