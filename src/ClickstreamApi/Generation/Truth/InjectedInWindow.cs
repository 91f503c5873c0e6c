namespace ClickstreamApi.Generation.Truth;

/// <summary>Faults the generator injected into one window, beside the extra copies (which are counted as windows of their own).</summary>
/// <param name="Late">Events of the window sent late: their occurredAt was moved back into it.</param>
/// <param name="Malformed">Messages that are not events, sent right after one of the window's events.</param>
public readonly record struct InjectedInWindow(long Late, long Malformed);
