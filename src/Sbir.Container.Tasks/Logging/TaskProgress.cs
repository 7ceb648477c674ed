using Microsoft.Build.Framework;
using Sbir.Container.Build;

namespace Sbir.Container.Tasks.Logging;

/// <summary>
/// Progress of long core work as log messages: status and process output at normal verbosity, and the
/// milestones of a wait that can take minutes (a service started, turned healthy) at minimal too.
/// </summary>
internal sealed class TaskProgress(TaskDiagnosticLogger log) : IBuildProgress
{
    public void Status(string message) => log.Message(message, MessageImportance.Normal);

    public void Output(string line) => log.Message(line, MessageImportance.Normal);

    public void Milestone(string message) => log.Message(message, MessageImportance.High);
}
