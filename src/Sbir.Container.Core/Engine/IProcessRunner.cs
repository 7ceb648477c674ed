namespace Sbir.Container.Engine;

/// <summary>Runs child processes. The production implementation is <see cref="ProcessRunner"/>; tests substitute their own.</summary>
public interface IProcessRunner
{
    /// <summary>Runs <paramref name="spec"/> to completion, streaming lines to <paramref name="observer"/>.
    /// Never throws for a process that fails to start, times out or is cancelled: the result says so.</summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, IProcessObserver? observer = null, CancellationToken cancellationToken = default);
}
