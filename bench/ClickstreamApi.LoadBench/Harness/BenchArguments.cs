using System.Globalization;

namespace ClickstreamApi.LoadBench.Harness;

/// <summary>
/// The options after the scenario name: <c>--name value</c> pairs and <c>--flag</c> switches. Every
/// option a scenario reads is remembered, so a misspelt one is reported instead of silently ignored.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string?> _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private BenchArguments(Dictionary<string, string?> options) => _options = options;

    public static BenchArguments Empty { get; } = new([]);

    public static BenchArguments Parse(IReadOnlyList<string> arguments)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected an option (--name), found '{name}'");
            }

            var hasValue = i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? arguments[++i] : null;
        }

        return new BenchArguments(options);
    }

    /// <summary>Options given but never read by anyone.</summary>
    public IEnumerable<string> Unread => _options.Keys.Where(name => !_read.Contains(name));

    public string? Text(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var value) ? value ?? throw new ArgumentException($"{name} needs a value") : null;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public int Int(string name, int fallback) =>
        Text(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) =>
        Text(name) is { } text ? long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public bool Bool(string name, bool fallback) => Text(name) switch
    {
        null => fallback,
        var text when string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) => true,
        var text when string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) => false,
        var text => throw new ArgumentException($"{name} must be true or false, not '{text}'"),
    };

    public double Double(string name, double fallback) =>
        Text(name) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<double> Doubles(string name, IReadOnlyList<double> fallback) =>
        Text(name) is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(value => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture))
                .ToArray()
            : fallback;
}
