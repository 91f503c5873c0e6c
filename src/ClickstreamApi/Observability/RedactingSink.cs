using ClickstreamApi.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace ClickstreamApi.Observability;

/// <summary>Hands the console sink each event with its secrets masked, exception text included, whatever the format.</summary>
internal sealed class RedactingSink(ILogEventSink inner, SecretMask mask) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent) => inner.Emit(mask.Redact(logEvent));

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
