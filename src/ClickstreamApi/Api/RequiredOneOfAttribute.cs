using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace ClickstreamApi.Api;

/// <summary>A required enum field whose message lists the values, as they are written on the wire.</summary>
/// <param name="enumType">The enum the field takes.</param>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class RequiredOneOfAttribute(Type enumType) : RequiredAttribute
{
    public Type EnumType { get; } = enumType;

    public override string FormatErrorMessage(string name) =>
        $"The field is required: one of {string.Join(", ", Enum.GetNames(EnumType).Select(JsonNamingPolicy.CamelCase.ConvertName))}.";
}
