using ClickstreamApi.Events;
using ClickstreamApi.Hosting;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

public static class ConsumptionSetup
{
    public static WebApplicationBuilder AddConsumption(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RingBufferOptions>(RingBufferOptions.SectionName);
        builder.Services.AddValidatedOptions<ConsumerOptions>(ConsumerOptions.SectionName);
        builder.Services.AddSingleton(sp => new RingBuffer<ConsumedEvent>(sp.GetRequiredService<IOptions<RingBufferOptions>>().Value.Capacity));
        builder.Services.AddValidatedOptions<StreamOptions>(StreamOptions.SectionName);
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddSingleton<Analytics.StreamAnalytics>();
        builder.Services.AddSingleton<RejectedMessageLog>();
        builder.Services.AddSingleton<ConsumerState>();
        builder.Services.AddHostedService<ClickConsumerService>();
        return builder;
    }
}
