using Sbir.Container.Engine;

namespace Sbir.Container.Build;

/// <summary>Passes a child process's output lines to <see cref="IBuildProgress.Output"/>, without ANSI colours, one line at a time.</summary>
public sealed class ProgressForward(IBuildProgress progress) : IProcessObserver
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public void OnLine(string line, bool isError)
    {
        lock (_gate)
        {
            progress.Output(BuildOutputParser.StripAnsi(line));
        }
    }
}
