using Microsoft.Build.Framework;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Tasks.Logging;

namespace Sbir.Container.Tasks;

/// <summary>
/// The base of every task in the SDK. It guarantees what each task promises: all logging goes
/// through one secret masker; Ctrl+C cancels the running child process; and no exception ever
/// escapes (MSBuild would report it as MSB4018 with a stack trace): it becomes SBC0001 instead.
/// </summary>
/// <remarks>
/// It implements <see cref="ITask"/> itself rather than deriving from Microsoft.Build.Utilities.Task: precompiled
/// (ReadyToRun) code of a type whose base class lives in another assembly holds only while that class keeps the layout
/// it was compiled against, and the Task class comes from whichever MSBuild runs the build. With no base class of
/// MSBuild's, the tasks' precompiled code holds on every MSBuild version.
/// </remarks>
public abstract class SbirTask : ITask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private TaskDiagnosticLogger? _logger;
    private Microsoft.Build.Utilities.TaskLoggingHelper? _log;

    /// <inheritdoc />
    public IBuildEngine BuildEngine { get; set; } = null!;

    /// <inheritdoc />
    public ITaskHost? HostObject { get; set; }

    /// <summary>MSBuild's logging helper for this task.</summary>
    protected Microsoft.Build.Utilities.TaskLoggingHelper Log => _log ??= new Microsoft.Build.Utilities.TaskLoggingHelper(this);

    /// <summary>The build engine's registered-object services, when it has them.</summary>
    protected IBuildEngine4? BuildEngine4 => BuildEngine as IBuildEngine4;

    /// <summary>The user's project file ($(MSBuildProjectFullPath)): where diagnostics without a file of their own point.</summary>
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Masks secret values in everything this task logs.</summary>
    protected SecretMasker Masker { get; } = new();

    /// <summary>The logger that masks and codes.</summary>
    internal TaskDiagnosticLogger Diagnostics => _logger ??= new TaskDiagnosticLogger(Log, Masker, string.IsNullOrEmpty(ProjectFile) ? null : ProjectFile);

    /// <summary>Runs child processes; tests substitute their own.</summary>
    internal IProcessRunner ProcessRunner { get; set; } = Engine.ProcessRunner.Instance;

    /// <summary>The environment the core sees; tests substitute their own.</summary>
    internal EnvironmentSnapshot Environment { get; set; } = EnvironmentSnapshot.FromProcess();

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public bool Execute()
    {
        if (TaskAssemblyGuard.Process.FirstChanged() is { } rebuilt)
        {
            Diagnostics.Log(DiagnosticCatalog.StaleTaskAssembly.Create(rebuilt));
            return false;
        }

        try
        {
            ExecuteCoreAsync().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Diagnostics.Log(DiagnosticCatalog.Cancelled.Create(GetType().Name, "docker"));
        }
        catch (Exception ex)
        {
            Diagnostics.Log(DiagnosticCatalog.InternalError.Create(GetType().Name, ex.GetType().Name + ": " + ex.Message));
            Diagnostics.Message(ex.ToString(), MessageImportance.Low);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work. Report problems with <see cref="LogDiagnostics"/>; throw only for bugs.</summary>
    protected abstract Task ExecuteCoreAsync();

    /// <summary>Logs each diagnostic.</summary>
    protected void LogDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Diagnostics.Log(diagnostic);
        }
    }

    /// <summary>Makes <paramref name="path"/> absolute against <paramref name="baseDirectory"/>.</summary>
    protected static string FullPath(string path, string baseDirectory)
        => Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? "." : path, baseDirectory);
}
