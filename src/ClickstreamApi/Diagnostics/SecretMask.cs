using Serilog.Events;

namespace ClickstreamApi.Diagnostics;

/// <summary>
/// Masks known secret values in log events: in property values (nested ones too) and in the text of
/// an attached exception, before any formatter sees them, so the text and the JSON format stay
/// intact. Which values are secrets is the configuration's business (Security decides).
/// </summary>
public sealed class SecretMask
{
    public const string Masked = "***";

    // Values shorter than this are not treated as secrets: masking "a" everywhere would wreck the log.
    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretMask(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. secrets.OfType<string>().Where(s => s.Length >= MinSecretLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    public static SecretMask None { get; } = new([]);

    public bool IsEmpty => _secrets.Length == 0;

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Masked, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary><paramref name="value"/> with its secrets masked; the same instance when it holds none.</summary>
    public LogEventPropertyValue Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var redacted = Redact(text);
                return ReferenceEquals(redacted, text) ? value : new ScalarValue(redacted);
            case SequenceValue sequence:
                var elements = RedactAll(sequence.Elements);
                return elements is null ? value : new SequenceValue(elements);
            case StructureValue structure:
                var properties = RedactAll(structure.Properties);
                return properties is null ? value : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var changed = false;
                var entries = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                foreach (var (key, element) in dictionary.Elements)
                {
                    var maskedKey = (ScalarValue)Redact(key);
                    var maskedElement = Redact(element);
                    changed |= !ReferenceEquals(maskedKey, key) || !ReferenceEquals(maskedElement, element);
                    entries.Add(new(maskedKey, maskedElement));
                }

                return changed ? new DictionaryValue(entries) : value;
            default:
                return value;
        }
    }

    /// <summary><paramref name="logEvent"/> with its secrets masked; the same instance when it holds none.</summary>
    public LogEvent Redact(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (IsEmpty)
        {
            return logEvent;
        }

        var changed = false;
        var properties = new List<LogEventProperty>(logEvent.Properties.Count);
        foreach (var (name, value) in logEvent.Properties)
        {
            var redacted = Redact(value);
            changed |= !ReferenceEquals(redacted, value);
            properties.Add(new LogEventProperty(name, redacted));
        }

        var exception = logEvent.Exception;
        if (exception is not null)
        {
            var text = exception.ToString();
            var redacted = Redact(text);
            if (!ReferenceEquals(redacted, text))
            {
                exception = new RedactedException(redacted);
                changed = true;
            }
        }

        return changed
            ? new LogEvent(logEvent.Timestamp, logEvent.Level, exception, logEvent.MessageTemplate, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default)
            : logEvent;
    }

    private List<LogEventPropertyValue>? RedactAll(IReadOnlyList<LogEventPropertyValue> values)
    {
        List<LogEventPropertyValue>? result = null;
        for (var i = 0; i < values.Count; i++)
        {
            var redacted = Redact(values[i]);
            if (result is null && !ReferenceEquals(redacted, values[i]))
            {
                result = [.. values.Take(i)];
            }

            result?.Add(redacted);
        }

        return result;
    }

    private List<LogEventProperty>? RedactAll(IReadOnlyList<LogEventProperty> properties)
    {
        List<LogEventProperty>? result = null;
        for (var i = 0; i < properties.Count; i++)
        {
            var redacted = Redact(properties[i].Value);
            if (result is null && !ReferenceEquals(redacted, properties[i].Value))
            {
                result = [.. properties.Take(i)];
            }

            result?.Add(ReferenceEquals(redacted, properties[i].Value) ? properties[i] : new LogEventProperty(properties[i].Name, redacted));
        }

        return result;
    }

    /// <summary>
    /// Stands in for an exception whose text held a secret. Formatters write an exception as its
    /// <see cref="ToString"/> (message, inner exceptions, stack), so that is what is masked.
    /// </summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public override string ToString() => Message;
    }
}
