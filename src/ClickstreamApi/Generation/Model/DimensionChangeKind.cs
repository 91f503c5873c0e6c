namespace ClickstreamApi.Generation.Model;

/// <summary>What a change of the shop's dimensions does.</summary>
public enum DimensionChangeKind
{
    /// <summary>A product's price changes (for the run's later amounts too).</summary>
    PriceChange,

    /// <summary>A user changes device (and browser) or country, from the user's next session on.</summary>
    UserChange,

    /// <summary>A user deletes the account: the session ends, and the user never comes back.</summary>
    AccountDeletion,
}
