using ClickstreamApi.Hosting;

namespace ClickstreamApi.Generation;

public static class GenerationSetup
{
    public static WebApplicationBuilder AddGeneration(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GeneratorOptions>(GeneratorOptions.SectionName);
        builder.Services.AddSingleton<GeneratorControls>();
        builder.Services.AddSingleton<GeneratorCounters>();
        builder.Services.AddSingleton<ClickProducer>();
        builder.Services.AddHostedService<GeneratorService>();
        return builder;
    }
}
