using System.Security.Cryptography;

namespace Sbir.Container.Tasks;

/// <summary>
/// Says when the task assemblies this process runs were rebuilt after it loaded them. MSBuild loads a task assembly once
/// per process and path; a process that lives on (a reused worker node, the MSBuild server, an IDE) would go on running
/// the old tasks after the in-repository sample rebuilt them from source. Each task asks before it runs: a file whose
/// size and time stamp are those seen at load costs one stat; one that changed is compared by content (a deterministic
/// rebuild that produced the same bytes is not a change).
/// </summary>
public sealed class TaskAssemblyGuard
{
    private readonly List<Watched> _watched;

    /// <summary>Watches <paramref name="paths"/> (files that do not exist are ignored), as they are now.</summary>
    public TaskAssemblyGuard(IEnumerable<string> paths)
        => _watched = paths.Where(File.Exists).Select(p => new Watched(p, Stamp(p), Hash(p))).ToList();

    /// <summary>The guard of this process: the task assembly and the core beside it, as first seen.</summary>
    public static TaskAssemblyGuard Process { get; } = new(OwnAssemblies());

    /// <summary>The first watched file whose content changed since it was watched, or null.</summary>
    public string? FirstChanged()
    {
        foreach (var watched in _watched)
        {
            if (!File.Exists(watched.Path))
            {
                // Removed (a clean): whatever comes next is rebuilt, and this process keeps what it loaded.
                continue;
            }

            var now = Stamp(watched.Path);
            if (now != watched.Stamp && Hash(watched.Path) is { } hash && !hash.AsSpan().SequenceEqual(watched.Hash))
            {
                return watched.Path;
            }
        }

        return null;
    }

    private static IEnumerable<string> OwnAssemblies()
    {
        string own = typeof(TaskAssemblyGuard).Assembly.Location;
        if (string.IsNullOrEmpty(own))
        {
            yield break;
        }

        yield return own;
        yield return Path.Combine(Path.GetDirectoryName(own)!, "Sbir.Container.Core.dll");
    }

    private static (long Length, DateTime Written) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, DateTime.MinValue);
    }

    private static byte[] Hash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return SHA256.HashData(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private sealed record Watched(string Path, (long Length, DateTime Written) Stamp, byte[] Hash);
}
