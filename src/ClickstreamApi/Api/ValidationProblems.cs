using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>The title of an endpoint's validation problems (see <see cref="ValidationProblems.WithValidationProblem"/>).</summary>
/// <param name="Title">What the client got wrong, in a sentence: "The rate is not valid."</param>
public sealed record ValidationProblemTitle(string Title);

/// <summary>
/// The framework validates request parameters and bodies (AddValidation, DataAnnotations on the
/// request types) and answers a failure with a 400 problem of its own: a generic title, and errors
/// keyed by the C# names (<c>EventsPerSecond</c>, <c>Limit</c>). Microsoft.Extensions.Validation 10.0
/// has no setting for either, so the problem is reshaped as it is written: the endpoint's title, and
/// every key turned into the name the client sent (the JSON property, or the query or route name).
/// </summary>
public static class ValidationProblems
{
    /// <summary>The title the framework gives its validation problems; problems written by handlers carry their own.</summary>
    private static readonly string FrameworkTitle = new HttpValidationProblemDetails().Title!;

    /// <summary>Declares the endpoint's 400 validation problem in OpenAPI and gives it <paramref name="title"/>.</summary>
    public static RouteHandlerBuilder WithValidationProblem(this RouteHandlerBuilder builder, string title) =>
        builder.WithMetadata(new ValidationProblemTitle(title)).ProducesValidationProblem();

    /// <summary>Reshapes a validation problem written by the framework's validation filter; leaves every other problem alone.</summary>
    internal static void Shape(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails problem
            || context.Exception is not null
            || !string.Equals(problem.Title, FrameworkTitle, StringComparison.Ordinal)
            || context.HttpContext.GetEndpoint() is not { } endpoint
            || endpoint.Metadata.GetMetadata<ValidationProblemTitle>() is not { } title)
        {
            return;
        }

        problem.Title = title.Title;
        var json = context.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var names = WireNames(endpoint, json);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in problem.Errors)
        {
            var name = WireName(key, names);
            errors[name] = errors.TryGetValue(name, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        problem.Errors = errors;
    }

    /// <summary><paramref name="key"/> with its first segment (<c>Limit</c>, <c>ErrorCodes</c> of <c>ErrorCodes[0]</c>) as the client names it.</summary>
    internal static string WireName(string key, IReadOnlyDictionary<string, string> names)
    {
        var end = key.AsSpan().IndexOfAny('.', '[');
        var head = end < 0 ? key : key[..end];
        return names.TryGetValue(head, out var wire) ? wire + key[head.Length..] : key;
    }

    /// <summary>C# name to wire name for the endpoint's query, route and header parameters and its JSON body's properties.</summary>
    internal static Dictionary<string, string> WireNames(Endpoint endpoint, JsonSerializerOptions json)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            names[parameter.Name] = UrlName(parameter.ParameterInfo) ?? parameter.Name;
        }

        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } body)
        {
            foreach (var property in json.GetTypeInfo(body).Properties)
            {
                if (property.AttributeProvider is MemberInfo member)
                {
                    names[member.Name] = property.Name;
                }
            }
        }

        return names;
    }

    /// <summary>The name a [FromQuery], [FromRoute] or [FromHeader] attribute gives the parameter, if any.</summary>
    internal static string? UrlName(ParameterInfo parameter)
    {
        foreach (var attribute in parameter.GetCustomAttributes(inherit: true))
        {
            var name = attribute switch
            {
                IFromQueryMetadata query => query.Name,
                IFromRouteMetadata route => route.Name,
                IFromHeaderMetadata header => header.Name,
                _ => null,
            };
            if (name is not null)
            {
                return name;
            }
        }

        return null;
    }
}
