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

    /// <summary>
    /// A step of long work the user is waiting on (a service started, turned healthy), shown even at
    /// the default verbosity; by default the same as <see cref="Status"/>.
    /// </summary>
    void Milestone(string message) => Status(message);
}
