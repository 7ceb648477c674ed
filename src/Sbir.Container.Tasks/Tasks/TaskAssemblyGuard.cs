using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Sbir.Container.Tasks;

/// <summary>
/// Says when the task assemblies this process runs were rebuilt after it loaded them. MSBuild loads a task assembly once
/// per process and path; a process that lives on (a reused worker node, the MSBuild server, an IDE) would go on running
/// the old tasks after the in-repository sample rebuilt them from source. Each task asks before it runs: a file whose
/// size and time stamp are those seen at load costs one stat; one that changed is compared by its module version ID
/// (the compiler's hash of the assembly's content, so a deterministic rebuild that produced the same bytes is no change)
/// with the one of the assembly in memory.
/// </summary>
public sealed class TaskAssemblyGuard
{
    private readonly List<Watched> _watched;

    /// <summary>Watches each file (one that does not exist is ignored) against the module version ID it was loaded with.</summary>
    public TaskAssemblyGuard(IEnumerable<(string Path, Guid LoadedId)> assemblies)
        : this(assemblies.Select(a => Watch(a.Path, a.LoadedId)).OfType<Watched>().ToList())
    {
    }

    private TaskAssemblyGuard(List<Watched> watched) => _watched = watched;

    /// <summary>
    /// The guard of this process: the task assembly and the core, as loaded. (Built with loops over plain classes: generic
    /// code over tuples would be compiled on the spot, in every build, before the first task runs.)
    /// </summary>
    public static TaskAssemblyGuard Process { get; } = new(OwnAssemblies());

    /// <summary>The first watched file that now holds another assembly than the one loaded, or null.</summary>
    public string? FirstChanged()
    {
        foreach (var watched in _watched)
        {
            // Removed (a clean): whatever comes next is rebuilt, and this process keeps what it loaded.
            if (File.Exists(watched.Path) && !Stamp(watched.Path).Equals(watched.Stamp) && ModuleId(watched.Path) is { } now && now != watched.LoadedId)
            {
                return watched.Path;
            }
        }

        return null;
    }

    /// <summary>The module version ID of the assembly in a file, or null when it cannot be read as one.</summary>
    public static Guid? ModuleId(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static List<Watched> OwnAssemblies()
    {
        var own = new List<Watched>();
        foreach (var assembly in new[] { typeof(TaskAssemblyGuard).Assembly, typeof(Sbir.Container.Diagnostics.Diagnostic).Assembly })
        {
            if (!string.IsNullOrEmpty(assembly.Location) && Watch(assembly.Location, assembly.ManifestModule.ModuleVersionId) is { } watched)
            {
                own.Add(watched);
            }
        }

        return own;
    }

    private static Watched? Watch(string path, Guid loadedId) => File.Exists(path) ? new Watched(path, Stamp(path), loadedId) : null;

    private static FileStamp Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : new FileStamp(-1, DateTime.MinValue);
    }

    /// <summary>Size and time of a file (a record of this assembly, so its equality is precompiled, unlike a tuple's).</summary>
    private sealed record FileStamp(long Length, DateTime Written);

    private sealed record Watched(string Path, FileStamp Stamp, Guid LoadedId);
}
