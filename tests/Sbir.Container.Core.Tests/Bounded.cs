namespace Sbir.Container.Core.Tests;

/// <summary>
/// Runs a parser or checker on hostile input and fails only when it never finishes: a hang or a
/// blow-up (an alias bomb expanded, a regex backtracking without end). How fast it is, is not a test's
/// business on these shared machines; bench/bad-input-bench.sh measures that.
/// </summary>
public static class Bounded
{
    /// <summary>Far above any honest run on a loaded machine, far below a hang.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static T Run<T>(string what, Func<T> work)
    {
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(Limit))
        {
            Assert.Fail($"{what} did not finish within {Limit.TotalMinutes} minutes: it hangs or grows without bound on this input.");
        }

        return task.Result;
    }

    public static void Run(string what, Action work) => Run(what, () => { work(); return 0; });
}
