namespace ClickstreamApi.Generation.Model;

/// <summary>Picks items with fixed relative weights in O(log n), allocation-free.</summary>
public sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public Weighted(IEnumerable<(T Item, double Weight)> entries)
    {
        var list = entries.ToList();
        if (list.Count == 0 || list.Any(e => e.Weight < 0) || list.Sum(e => e.Weight) <= 0)
        {
            throw new ArgumentException("Weights must be non-negative with a positive total.", nameof(entries));
        }

        _items = [.. list.Select(e => e.Item)];
        _cumulative = new double[list.Count];
        var total = 0.0;
        for (var i = 0; i < list.Count; i++)
        {
            total += list[i].Weight;
            _cumulative[i] = total;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public IReadOnlyList<T> Items => _items;

    public T Pick(Random random) => Pick(random.NextDouble());

    /// <summary>The item for a uniform roll in [0, 1).</summary>
    public T Pick(double roll)
    {
        var index = Array.BinarySearch(_cumulative, roll);
        index = index < 0 ? ~index : index + 1;
        return _items[Math.Min(index, _items.Length - 1)];
    }
}
