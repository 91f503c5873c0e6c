namespace ClickstreamApi.Analytics.EventTime;

/// <summary>Strings (pages, event types) numbered once per run, so a window stores small integers instead of dictionaries of strings.</summary>
internal sealed class KeyTable
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    public int Number(string key)
    {
        if (!_numbers.TryGetValue(key, out var number))
        {
            number = _keys.Count;
            _numbers.Add(key, number);
            _keys.Add(key);
        }

        return number;
    }

    public string this[int number] => _keys[number];
}
