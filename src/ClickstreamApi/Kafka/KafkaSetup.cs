namespace ClickstreamApi.Kafka;

public static class KafkaSetup
{
    /// <summary>The Kafka environment (embedded or external) and topic provisioning, which must start first.</summary>
    public static WebApplicationBuilder AddKafka(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<KafkaEnvironment>();
        builder.Services.AddHostedService<TopicProvisioner>();
        return builder;
    }
}
