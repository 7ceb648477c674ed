namespace Sbir.Container.Tasks.Tests;

/// <summary>The guard compares real assemblies by module version ID: copies of this test's own assemblies stand for a rebuilt task assembly.</summary>
public class TaskAssemblyGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbir-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Tasks = typeof(TaskAssemblyGuard).Assembly.Location;
    private static readonly string Other = typeof(TaskAssemblyGuardTests).Assembly.Location;

    private string CopyOf(string assembly)
    {
        string path = Path.Combine(_dir, "Sbir.Container.Tasks.dll");
        File.Copy(assembly, path, overwrite: true);
        return path;
    }

    [Fact]
    public void Unchanged_or_rebuilt_to_the_same_assembly_is_no_change()
    {
        string path = CopyOf(Tasks);
        var guard = new TaskAssemblyGuard([(path, TaskAssemblyGuard.ModuleId(path)!.Value), (Path.Combine(_dir, "absent.dll"), Guid.NewGuid())]);
        Assert.Null(guard.FirstChanged());

        // A deterministic rebuild that produced the same assembly, then touched (as the from-source target does).
        CopyOf(Tasks);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Null(guard.FirstChanged());
    }

    [Fact]
    public void A_rebuilt_assembly_is_named()
    {
        string path = CopyOf(Tasks);
        var guard = new TaskAssemblyGuard([(path, TaskAssemblyGuard.ModuleId(path)!.Value)]);
        CopyOf(Other);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(path, guard.FirstChanged());
    }

    [Fact]
    public void A_removed_assembly_is_no_change_for_the_process_that_loaded_it()
    {
        string path = CopyOf(Tasks);
        var guard = new TaskAssemblyGuard([(path, TaskAssemblyGuard.ModuleId(path)!.Value)]);
        File.Delete(path);
        Assert.Null(guard.FirstChanged());
    }

    [Fact]
    public void The_process_guard_watches_the_loaded_task_and_core_assemblies()
    {
        Assert.Null(TaskAssemblyGuard.Process.FirstChanged());
        Assert.Equal(typeof(TaskAssemblyGuard).Assembly.ManifestModule.ModuleVersionId, TaskAssemblyGuard.ModuleId(Tasks));
    }
}
