namespace ClickstreamApi.Hosting;

public static class OptionsRegistration
{
    /// <summary>Binds a configuration section to its options class, validated at start-up (a bad value stops the service, naming the key).</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .BindConfiguration(sectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
