using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Generation.Truth;
using ClickstreamApi.Hosting;

namespace ClickstreamApi.Generation;

public static class GenerationSetup
{
    public static WebApplicationBuilder AddGeneration(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GeneratorOptions>(GeneratorOptions.SectionName);
        // The windows' settings belong to both the generator's truth and the consumer's reconciliation; registered once, here.
        builder.Services.AddValidatedOptions<WindowOptions>(WindowOptions.SectionName);
        builder.Services.AddSingleton<TruthStore>();
        builder.Services.AddSingleton<GeneratorControls>();
        builder.Services.AddSingleton<Kafka.ILiveRunSignal>(services => services.GetRequiredService<GeneratorControls>());
        builder.Services.AddSingleton<GeneratorCounters>();
        builder.Services.AddSingleton<ClickProducer>();
        builder.Services.AddSingleton<ConsumerLeadGate>();
        builder.Services.AddSingleton<RunEncoderSetup>();
        builder.Services.AddSingleton<RunSender>();
        builder.Services.AddHostedService<GeneratorService>();
        return builder;
    }
}
