namespace Sbir.Container.Tasks.Tests;

public class TaskAssemblyGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbir-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Unchanged_or_rebuilt_to_the_same_bytes_is_no_change()
    {
        string tasks = Write("Sbir.Container.Tasks.dll", "tasks v1");
        var guard = new TaskAssemblyGuard([tasks, Path.Combine(_dir, "absent.dll")]);
        Assert.Null(guard.FirstChanged());

        // A deterministic rebuild that produced the same bytes, then touched (as the from-source target does).
        File.WriteAllText(tasks, "tasks v1");
        File.SetLastWriteTimeUtc(tasks, DateTime.UtcNow.AddMinutes(1));
        Assert.Null(guard.FirstChanged());
    }

    [Fact]
    public void A_rebuilt_assembly_is_named()
    {
        string tasks = Write("Sbir.Container.Tasks.dll", "tasks v1");
        string core = Write("Sbir.Container.Core.dll", "core v1");
        var guard = new TaskAssemblyGuard([tasks, core]);
        File.WriteAllText(core, "core v2 (longer)");
        Assert.Equal(core, guard.FirstChanged());
    }

    [Fact]
    public void A_removed_assembly_is_no_change_for_the_process_that_loaded_it()
    {
        string tasks = Write("Sbir.Container.Tasks.dll", "tasks v1");
        var guard = new TaskAssemblyGuard([tasks]);
        File.Delete(tasks);
        Assert.Null(guard.FirstChanged());
    }

    [Fact]
    public void The_process_guard_watches_the_loaded_task_and_core_assemblies()
        => Assert.Null(TaskAssemblyGuard.Process.FirstChanged());
}
