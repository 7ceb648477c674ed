using Microsoft.Build.Framework;
using Sbir.Container.Build;

namespace Sbir.Container.Tasks.Logging;

/// <summary>
/// The progress of a task's long work in the MSBuild log, one way for every task that drives compose
/// (ComposeUp, ComposeRun, DockerTest): the SDK's status lines at normal verbosity, service state changes
/// (milestones) at minimal verbosity because a wait can take minutes, and the child's output at
/// <paramref name="outputImportance"/> (normal; high where the output is what the user asked for).
/// </summary>
internal sealed class TaskProgress(TaskDiagnosticLogger log, MessageImportance outputImportance = MessageImportance.Normal) : IBuildProgress
{
    public void Status(string message) => log.Message(message, MessageImportance.Normal);

    public void Output(string line) => log.Message(line, outputImportance);

    public void Milestone(string message) => log.Message(message, MessageImportance.High);
}
