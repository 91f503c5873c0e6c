using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClickstreamApi.Api;

/// <summary>Puts the <see cref="ResponseHeader"/>s an endpoint declares into its OpenAPI 200 response.</summary>
internal sealed class ResponseHeadersFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var headers = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseHeader>().ToList();
        if (headers.Count == 0 || operation.Responses is null || !operation.Responses.TryGetValue("200", out var response) || response is not OpenApiResponse ok)
        {
            return;
        }

        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var header in headers)
        {
            ok.Headers[header.Name] = new OpenApiHeader
            {
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }
}
