using ClickstreamApi.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Serilog.Core;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClickstreamApi.Security;

public static class SecuritySetup
{
    private const string SchemeName = "ApiKey";

    /// <summary>The API key option, its Swagger description, and secret masking in the logs.</summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SecurityOptions>(SecurityOptions.SectionName);
        builder.Services.AddSingleton<SecretRedactor>();
        // Serilog picks up enrichers registered in the container (ReadFrom.Services).
        builder.Services.AddSingleton<ILogEventEnricher>(services => services.GetRequiredService<SecretRedactor>());
        builder.Services.AddTransient<IConfigureOptions<SwaggerGenOptions>, ApiKeySwaggerSetup>();
        return builder;
    }

    /// <summary>Body size limit and nosniff on every request, then <c>X-Api-Key</c> where <see cref="SecurityOptions"/> says so.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseMiddleware<HttpHardeningMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }

    /// <summary>When a key is configured, Swagger UI offers an Authorize box for it and marks the operations that need it.</summary>
    private sealed class ApiKeySwaggerSetup(IOptions<SecurityOptions> security) : IConfigureOptions<SwaggerGenOptions>
    {
        public void Configure(SwaggerGenOptions options)
        {
            if (!security.Value.KeyRequired)
            {
                return;
            }

            options.AddSecurityDefinition(SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyMiddleware.HeaderName,
                Description = "The value of Security:ApiKey.",
            });
            options.OperationFilter<ApiKeyOperationFilter>(security.Value.ProtectReads);
        }
    }

    private sealed class ApiKeyOperationFilter(bool protectReads) : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var method = context.ApiDescription.HttpMethod ?? "GET";
            var path = "/" + (context.ApiDescription.RelativePath ?? string.Empty);
            var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            var isProtected = !path.StartsWith("/health", StringComparison.OrdinalIgnoreCase)
                && (!read || (protectReads && path.StartsWith("/api", StringComparison.OrdinalIgnoreCase)));
            if (!isProtected)
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = "The X-Api-Key header is missing or wrong (problem+json).",
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType() },
            });
        }
    }
}
