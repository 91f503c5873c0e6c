using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Schemas;

/// <summary>The <c>Output</c> configuration section: what the generator writes.</summary>
public sealed class OutputOptions : IValidatableObject
{
    public const string SectionName = "Output";

    /// <summary><c>json</c> (the default), <c>avro</c> or <c>json-schema</c>; a run can choose its own.</summary>
    public string Format { get; set; } = OutputFormats.JsonName;

    /// <summary>Kafka headers on every event (run-id, seq, event-type, schema-version, content-type).</summary>
    public bool Headers { get; set; } = true;

    /// <summary>The configured format, parsed (validation has checked it).</summary>
    public OutputFormat DefaultFormat => OutputFormats.TryParse(Format, out var format) ? format : OutputFormat.Json;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutputFormats.TryParse(Format, out _))
        {
            yield return new ValidationResult($"Output:Format {OutputFormats.Rule} (it is '{Format}').", [nameof(Format)]);
        }
    }
}
