using ClickstreamApi.Generation;
using ClickstreamApi.Hosting;

namespace ClickstreamApi.Fleet;

public static class FleetSetup
{
    /// <summary>Fleet mode, when Fleet:Enabled: the members' topics, membership, command log and snapshots. The generator then waits for the fleet's commands instead of starting by itself.</summary>
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<FleetOptions>(FleetOptions.SectionName);
        if (!builder.Configuration.GetValue<bool>($"{FleetOptions.SectionName}:{nameof(FleetOptions.Enabled)}"))
        {
            return builder;
        }

        builder.Services.PostConfigure<GeneratorOptions>(generator => generator.AutoStart = false);
        builder.Services.AddSingleton<FleetTopics>();
        builder.Services.AddSingleton<FleetView>();
        builder.Services.AddSingleton<FleetSteering>();
        builder.Services.AddSingleton<FleetMembership>();
        builder.Services.AddSingleton<FleetLog>();
        builder.Services.AddSingleton<FleetPublisher>();
        builder.Services.AddHostedService<FleetService>();
        return builder;
    }
}
