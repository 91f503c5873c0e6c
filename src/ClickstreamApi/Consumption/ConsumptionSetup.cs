using ClickstreamApi.Events;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

public static class ConsumptionSetup
{
    public static WebApplicationBuilder AddConsumption(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RingBufferOptions>()
            .BindConfiguration(RingBufferOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ConsumerOptions>()
            .BindConfiguration(ConsumerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new RingBuffer<ConsumedEvent>(sp.GetRequiredService<IOptions<RingBufferOptions>>().Value.Capacity));
        builder.Services.AddOptions<StreamOptions>()
            .BindConfiguration(StreamOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddSingleton<Analytics.StreamAnalytics>();
        builder.Services.AddSingleton<RejectedMessageLog>();
        builder.Services.AddSingleton<ConsumerState>();
        builder.Services.AddHostedService<ClickConsumerService>();
        return builder;
    }
}
