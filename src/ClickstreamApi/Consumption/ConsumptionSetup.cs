using ClickstreamApi.Consumption.Sinks;
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
        // Written by the generator as it makes events, read by the analytics sink as they come back.
        builder.Services.AddSingleton(_ => new Analytics.ScheduledSendTimes());
        builder.Services.AddSingleton<RejectedMessageLog>();
        builder.Services.AddSingleton<ConsumerState>();

        // Where each consumed event goes, in this order (the ring buffer first: the others may read it).
        builder.Services.AddSingleton<IConsumedEventSink, RingBufferSink>();
        builder.Services.AddSingleton<IConsumedEventSink, LiveTailSink>();
        builder.Services.AddSingleton<IConsumedEventSink, AnalyticsSink>();
        builder.Services.AddSingleton<IConsumedEventSink, EventLogSink>();
        builder.Services.AddSingleton<Analytics.EventTime.RunWindowsStore>();
        builder.Services.AddSingleton<IConsumedEventSink, RunWindowsSink>();
        builder.Services.AddSingleton<ConsumerClientFactory>();
        builder.Services.AddHostedService<ClickConsumerService>();
        return builder;
    }
}
