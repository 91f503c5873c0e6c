using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClickstreamApi.Api;

/// <summary>
/// Describes endpoints mapped with a plain request delegate (MapHealthChecks), which ASP.NET Core's
/// API explorer skips because it reads handlers' signatures. What such an endpoint declares in its
/// metadata is what it gets: its methods, tags, name, summary and responses. Endpoints that declare
/// no responses stay out (the Prometheus scrape, for one, excludes itself).
/// </summary>
internal sealed class RequestDelegateEndpointsFilter(EndpointDataSource endpoints) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var metadata = endpoint.Metadata;
            var responses = metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>();
            if (metadata.GetMetadata<MethodInfo>() is not null
                || metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
                || responses.Count == 0)
            {
                continue;
            }

            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            swaggerDoc.Paths ??= [];
            if (!swaggerDoc.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
            {
                pathItem = new OpenApiPathItem();
                swaggerDoc.Paths[path] = pathItem;
            }

            foreach (var method in methods.HttpMethods)
            {
                (pathItem.Operations ??= [])[HttpMethod.Parse(method)] = Describe(metadata, responses, swaggerDoc, context);
            }
        }
    }

    private static OpenApiOperation Describe(EndpointMetadataCollection metadata, IReadOnlyList<IProducesResponseTypeMetadata> responses,
        OpenApiDocument document, DocumentFilterContext context)
    {
        var operation = new OpenApiOperation
        {
            OperationId = metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
            Summary = metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary,
            Description = metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
            Responses = [],
        };
        var tags = metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).ToList();
        if (tags.Count > 0)
        {
            // A tag reference is written only when the document declares the tag. (The setters copy
            // the sets they are given, so the sets are filled before they are assigned.)
            document.Tags ??= new HashSet<OpenApiTag>();
            foreach (var tag in tags.Where(tag => !document.Tags.Any(t => string.Equals(t.Name, tag, StringComparison.Ordinal))))
            {
                document.Tags.Add(new OpenApiTag { Name = tag });
            }

            operation.Tags = new HashSet<OpenApiTagReference>(tags.Select(tag => new OpenApiTagReference(tag, document)));
        }

        foreach (var response in responses)
        {
            var described = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(response.StatusCode) };
            if (response.Type is { } type)
            {
                var schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository);
                described.Content = response.ContentTypes.ToDictionary(c => c, IOpenApiMediaType (_) => new OpenApiMediaType { Schema = schema });
            }

            operation.Responses[response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = described;
        }

        return operation;
    }
}
