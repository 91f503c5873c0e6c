using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Api;

/// <summary>A new rate, and optionally a profile shaping it over time. A body with only eventsPerSecond sets a constant rate.</summary>
/// <param name="EventsPerSecond">Events per second (0.01 up to Generator:MaxEventsPerSecond): the constant or mean rate, the rate within bursts, or the rate a ramp ends at.</param>
/// <param name="Profile">constant (default), poisson (random gaps with this mean rate), burst, ramp or daily (a day and night curve whose weekday average is eventsPerSecond).</param>
/// <param name="BurstSeconds">Burst only, required: seconds each burst lasts.</param>
/// <param name="PauseSeconds">Burst only, required: seconds between bursts (0 allowed).</param>
/// <param name="RampFromEventsPerSecond">Ramp only: rate at the start of the ramp (default: the current rate).</param>
/// <param name="RampSeconds">Ramp only, required: seconds the ramp takes; the rate then stays at eventsPerSecond.</param>
/// <param name="PeakHour">Daily only: the busiest hour of the day on the run's clock (UTC, 0 up to 24; default 20).</param>
/// <param name="TroughHour">Daily only: the quietest hour (default 4).</param>
/// <param name="PeakToTroughRatio">Daily only: how many times the trough rate the peak is (1 to 1000; default 6).</param>
/// <param name="WeekendFactor">Daily only: Saturdays and Sundays as a multiple of a weekday (0.01 to 100; default 1.2).</param>
/// <remarks>
/// The rate's bounds come from configuration (Generator:MaxEventsPerSecond) and the profile's
/// parameters depend on each other and on the profile, which no attribute can say: those rules are
/// <see cref="IValidatableObject.Validate"/>, the profile's own <see cref="RateProfile.Validate"/>.
/// The framework runs it once the attributes pass.
/// </remarks>
public sealed record SetRateRequest(
    [Required(ErrorMessage = "The field is required: a number of events per second.")] double? EventsPerSecond,
    RateProfileKind? Profile = null,
    double? BurstSeconds = null,
    double? PauseSeconds = null,
    double? RampFromEventsPerSecond = null,
    double? RampSeconds = null,
    double? PeakHour = null,
    double? TroughHour = null,
    double? PeakToTroughRatio = null,
    double? WeekendFactor = null) : IValidatableObject
{
    private const string RateField = "eventsPerSecond";

    /// <summary>The profile asked for; a ramp without a start ramps from <paramref name="currentRate"/>, wherever the generator is now.</summary>
    public RateProfile ToProfile(double currentRate)
    {
        var kind = Profile ?? RateProfileKind.Constant;
        var rampFrom = RampFromEventsPerSecond ?? (kind == RateProfileKind.Ramp ? currentRate : null);
        return new RateProfile(kind, EventsPerSecond.GetValueOrDefault(), BurstSeconds, PauseSeconds, rampFrom, RampSeconds, PeakHour, TroughHour, PeakToTroughRatio, WeekendFactor);
    }

    /// <summary>What is wrong with the request, by JSON field; empty when it can be applied.</summary>
    public Dictionary<string, string[]> Problems(double currentRate, double maxRate)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (EventsPerSecond is not { } rate)
        {
            errors[RateField] = ["The field is required: a number of events per second."];
            return errors;
        }

        var rateProblem = !double.IsFinite(rate) || rate <= 0 ? "Must be a positive number."
            : rate < GeneratorOptions.MinEventsPerSecond ? string.Create(CultureInfo.InvariantCulture, $"Must be at least {GeneratorOptions.MinEventsPerSecond} (one event every 100 seconds).")
            : rate > maxRate ? string.Create(CultureInfo.InvariantCulture, $"Must be at most {maxRate} (Generator:MaxEventsPerSecond).")
            : null;
        if (rateProblem is not null)
        {
            errors[RateField] = [rateProblem];
        }

        foreach (var group in RateProfile.Validate(ToProfile(currentRate), GeneratorOptions.MinEventsPerSecond, maxRate).GroupBy(p => p.Field))
        {
            // The rate's own message above says more than the profile's ("Must be at least 0.01.").
            errors.TryAdd(group.Key == "kind" ? "profile" : group.Key, [.. group.Select(p => p.Message)]);
        }

        return errors;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var controls = (GeneratorControls?)validationContext.GetService(typeof(GeneratorControls))
            ?? throw new InvalidOperationException("A rate is validated against the running generator's controls.");
        foreach (var (field, messages) in Problems(controls.Current.Profile.EventsPerSecond, controls.MaxEventsPerSecond))
        {
            foreach (var message in messages)
            {
                yield return new ValidationResult(message, [field]);
            }
        }
    }
}
