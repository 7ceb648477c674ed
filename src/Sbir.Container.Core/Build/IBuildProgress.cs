namespace Sbir.Container.Build;

/// <summary>
/// Where long-running core work reports progress while it runs. The MSBuild tasks implement it by
/// logging (through the secret masker); tests collect the lines.
/// </summary>
public interface IBuildProgress
{
    /// <summary>A status line from the SDK itself ("building stage builder", "up to date").</summary>
    void Status(string message);

    /// <summary>A line of the child process's output (docker's plain progress).</summary>
    void Output(string line);
}
