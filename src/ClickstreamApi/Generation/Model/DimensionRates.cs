namespace ClickstreamApi.Generation.Model;

/// <summary>How often each kind of change happens, per hour of the run's clock (0: never).</summary>
public sealed record DimensionRates(double PriceChangesPerHour, double UserChangesPerHour, double AccountDeletionsPerHour)
{
    public static readonly DimensionRates None = new(0, 0, 0);
}
