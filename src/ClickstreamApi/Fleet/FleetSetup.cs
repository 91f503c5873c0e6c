using ClickstreamApi.Generation;
using ClickstreamApi.Hosting;
using ClickstreamApi.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

public static class FleetSetup
{
    /// <summary>
    /// Fleet mode (used only when Fleet:Enabled): the members' topics, membership, command log and
    /// snapshots. A member's generator waits for the fleet's commands instead of starting by itself.
    /// </summary>
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<FleetOptions>(FleetOptions.SectionName);
        builder.Services.AddOptions<GeneratorOptions>().PostConfigure<IOptions<FleetOptions>>((generator, fleet) => generator.AutoStart &= !fleet.Value.Enabled);
        // The embedded cluster's read retention deletes what this member's own consumer group has committed; the
        // other members' consumers (groups of their own) read the same topic from this cluster and must not lose
        // what they have not read yet, so a member hosting the cluster keeps the broker's own log.
        builder.Services.AddOptions<KafkaOptions>().PostConfigure<IOptions<FleetOptions>>((kafka, fleet) =>
        {
            if (!fleet.Value.Enabled)
            {
                return;
            }

            kafka.EmbeddedReadRetention = 0;

            // One consumer group for the whole fleet: each member reads some partitions, the stream is read once.
            // An explicit Kafka:Consumer:group.id still wins.
            if (fleet.Value.ShareConsumerGroup && (!kafka.Consumer.TryGetValue("group.id", out var configured) || string.IsNullOrWhiteSpace(configured)))
            {
                kafka.Consumer["group.id"] = FleetTopics.ConsumerGroupOf(fleet.Value.Name);
            }
        });
        builder.Services.AddSingleton<FleetTopics>();
        builder.Services.AddSingleton<FleetView>();
        builder.Services.AddSingleton<FleetSteering>();
        builder.Services.AddSingleton<FleetMembership>();
        builder.Services.AddSingleton<FleetLog>();
        builder.Services.AddSingleton<FleetPublisher>();
        builder.Services.AddSingleton<FleetConsumptionSource>();
        builder.Services.AddHostedService<FleetService>();
        return builder;
    }
}
