using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.OpenApi;

namespace ClickstreamApi.Api;

/// <summary>HTTP plumbing shared by every endpoint group: JSON, problem details, OpenAPI.</summary>
public static class ApiSetup
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        // Loopback by default; --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS (the container) override it.
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            options.SerializerOptions.Converters.Add(new UtcTimestampConverter());
            // Enums are words on the wire: "profile": "burst".
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            // A number is a JSON number: "250" in quotes is refused rather than guessed at.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // ASP.NET Core's default encoder leaves '<', '>' and '&' as they are. Text from the topic
            // (pages, referrers, user agents) is anyone's; escaped, it stays data even if a page embeds
            // the JSON in HTML. Letters of every script stay readable.
            options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });

        builder.Services.AddSingleton<EventJson>();

        // The framework validates what binding produced (DataAnnotations and IValidatableObject on the
        // request types) before a handler runs; ValidationProblems gives its answers the API's shape.
        builder.Services.AddValidation();
        // Binding failures (a value that is not of its type, broken JSON) come before validation and
        // throw, so BadRequestProblemHandler can name the field in a problem document.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            ValidationProblems.Shape(context);
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
            // The framework answers a non-JSON body with a bare 415; say which header and what it must be.
            if (problem.Status == StatusCodes.Status415UnsupportedMediaType && !problem.Extensions.ContainsKey("errors"))
            {
                var message = $"Send the body as application/json (got '{context.HttpContext.Request.ContentType ?? "none"}').";
                problem.Detail ??= message;
                problem.Extensions["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [message] };
            }
        });

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ClickstreamApi",
                Version = "v1",
                Description = "Simulated users click around a shop; the clicks go through Kafka (topic user_clickstream) "
                    + "and back. Start, stop and pace the generator, and read what the consumer sees.",
            });
            options.OperationFilter<ResponseHeadersFilter>();
            options.DocumentFilter<RequestDelegateEndpointsFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });

        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Bare error statuses (404, 405, ...) get a problem document too.
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "ClickstreamApi");
        return app;
    }
}
