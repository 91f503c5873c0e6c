namespace ClickstreamApi.UnitTests;

/// <summary>How much a piece of code allocates on the calling thread, measured so that only what it always allocates counts.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes one run of <paramref name="pass"/> allocates on this thread, over up to
    /// <paramref name="passes"/> runs. An allocation per call shows in every pass; a one-off of the
    /// runtime's (a method tiering up or replaced on the stack while it loops, on a busy machine
    /// later than usual) shows in one pass only and is not the code's cost.
    /// </summary>
    public static long LeastPerPass(Action pass, int passes = 5)
    {
        var least = long.MaxValue;
        for (var i = 0; i < passes && least > 0; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
