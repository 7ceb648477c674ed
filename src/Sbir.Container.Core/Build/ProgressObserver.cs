using Sbir.Container.Engine;

namespace Sbir.Container.Build;

/// <summary>
/// Forwards a child process's output to an <see cref="IBuildProgress"/> line by line. Stdout and stderr
/// arrive on two threads, and the MSBuild logger behind the progress is not thread-safe: one line at a time.
/// </summary>
public sealed class ProgressObserver(IBuildProgress progress, bool stripAnsi = false) : IProcessObserver
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public void OnLine(string line, bool isError)
    {
        lock (_gate)
        {
            progress.Output(stripAnsi ? BuildOutputParser.StripAnsi(line) : line);
        }
    }
}
