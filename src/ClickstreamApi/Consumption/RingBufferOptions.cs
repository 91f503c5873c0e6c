using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Consumption;

/// <summary>The <c>RingBuffer</c> configuration section.</summary>
public sealed class RingBufferOptions
{
    public const string SectionName = "RingBuffer";

    /// <summary>How many of the newest consumed events are kept in memory.</summary>
    [Range(1, 10_000_000, ErrorMessage = "RingBuffer:Capacity must be between 1 and 10000000.")]
    public int Capacity { get; set; } = 10_000;
}
