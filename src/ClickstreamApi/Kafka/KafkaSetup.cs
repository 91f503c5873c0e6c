using ClickstreamApi.Hosting;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

public static class KafkaSetup
{
    /// <summary>The Kafka environment (embedded or external), the dimension topics' names, and the monitor that provisions the topics and watches the cluster in the background.</summary>
    public static WebApplicationBuilder AddKafka(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        builder.Services.AddValidatedOptions<DimensionOptions>(DimensionOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<DimensionOptions>, DimensionOptionsValidation>();
        builder.Services.AddSingleton<KafkaEnvironment>();
        builder.Services.AddSingleton<DimensionTopics>();
        builder.Services.AddSingleton<KafkaConnectionFailures>();
        builder.Services.AddSingleton<KafkaClusterStatus>();
        builder.Services.AddSingleton<TopicProgress>();
        builder.Services.AddHostedService<KafkaMonitor>();
        builder.Services.AddSingleton<EmbeddedLogRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedLogRetention>());
        return builder;
    }
}
