using System.Security.Cryptography;
using System.Text;
using ClickstreamApi.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Serilog.Core;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClickstreamApi.Security;

public static class SecuritySetup
{
    /// <summary>The API key as an authentication scheme, the policies endpoints name, their Swagger description, and secret masking in the logs.</summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SecurityOptions>(SecurityOptions.SectionName);

        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationOptions.Scheme, configureOptions: null);
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationOptions.Scheme)
            .Configure<IOptions<SecurityOptions>>((scheme, security) =>
                scheme.KeyHash = security.Value.KeyRequired ? SHA256.HashData(Encoding.UTF8.GetBytes(security.Value.ApiKey!)) : ReadOnlyMemory<byte>.Empty);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<SecurityOptions>>((authorization, security) => ApiKeyPolicies.Add(authorization, security.Value));

        services.AddSingleton(services => SecretRedactor.Mask(services.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SecretRedactor>();
        // Serilog picks up enrichers registered in the container (ReadFrom.Services).
        services.AddSingleton<ILogEventEnricher>(services => services.GetRequiredService<SecretRedactor>());
        services.AddTransient<IConfigureOptions<SwaggerGenOptions>, ApiKeySwaggerSetup>();
        return builder;
    }

    /// <summary>
    /// Body size limit and nosniff on every request, then the endpoints' policies. Routing has run, so
    /// unknown paths still get their 404 and wrong methods their 405 (those endpoints name no policy).
    /// </summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseMiddleware<HttpHardeningMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>When a key is configured, Swagger UI offers an Authorize box for it and marks the operations whose policy asks for it.</summary>
    private sealed class ApiKeySwaggerSetup(IOptions<SecurityOptions> security) : IConfigureOptions<SwaggerGenOptions>
    {
        public void Configure(SwaggerGenOptions options)
        {
            if (!security.Value.KeyRequired)
            {
                return;
            }

            options.AddSecurityDefinition(ApiKeyAuthenticationOptions.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationOptions.HeaderName,
                Description = "The value of Security:ApiKey.",
            });
            options.OperationFilter<ApiKeyOperationFilter>();
        }
    }

    private sealed class ApiKeyOperationFilter(IOptions<AuthorizationOptions> authorization) : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var policies = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>();
            if (!policies.Any(p => p.Policy is { } name && ApiKeyPolicies.AsksForKey(authorization.Value.GetPolicy(name))))
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationOptions.Scheme, context.Document)] = [] });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = "The X-Api-Key header is missing or wrong (problem+json).",
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType() },
            });
        }
    }
}
