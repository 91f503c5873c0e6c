using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Writes the dimension topics' values (<see cref="UserRecord"/>, <see cref="ProductRecord"/>) in a
/// run's <see cref="OutputFormat"/>, the same format as its click events. One per run; not
/// thread-safe. Each call returns a new array (a few thousand records a run: no pooling needed).
/// </summary>
public interface IDimensionEncoder : IDisposable
{
    OutputFormat Format { get; }

    /// <summary>The registered users and products schemas, once <see cref="PrepareAsync"/> has succeeded; empty for plain JSON.</summary>
    IReadOnlyList<RegisteredEventSchema> Schemas { get; }

    /// <summary>Registers (or looks up) both schemas; throws when the registry does not answer, and the caller tries again.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    byte[] Encode(UserRecord user);

    byte[] Encode(ProductRecord product);
}
