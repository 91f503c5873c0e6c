using ClickstreamApi.LoadBench.Reporting;
using ClickstreamApi.LoadBench.Tools;

namespace ClickstreamApi.LoadBench.Harness;

/// <summary>What every scenario needs: the service build to start, the report, the outside tools.</summary>
/// <param name="ServiceAssembly">The Release build of the service (<c>ClickstreamApi.dll</c>).</param>
/// <param name="Report">Where tables go (console and results file).</param>
/// <param name="Tools">Outside tools, found or not.</param>
internal sealed record BenchContext(string ServiceAssembly, Report Report, ToolBox Tools);
