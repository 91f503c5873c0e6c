using ClickstreamApi.Hosting;

namespace ClickstreamApi.Kafka;

public static class KafkaSetup
{
    /// <summary>The Kafka environment (embedded or external) and topic provisioning, which must start first.</summary>
    public static WebApplicationBuilder AddKafka(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        builder.Services.AddSingleton<KafkaEnvironment>();
        builder.Services.AddHostedService<TopicProvisioner>();
        return builder;
    }
}
