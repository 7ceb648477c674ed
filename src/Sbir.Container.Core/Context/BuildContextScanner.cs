namespace Sbir.Container.Context;

/// <summary>A file that docker would send in the build context.</summary>
/// <param name="RelativePath">Path relative to the context root, forward slashes.</param>
/// <param name="FullPath">Absolute path.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastWriteUtc">Last write time, for the hash cache.</param>
/// <param name="IsExecutable">True when any execute bit is set: docker keeps modes, so a mode change changes the image.</param>
/// <param name="LinkTarget">For a symbolic link, its target; the link itself is sent, not what it points to.</param>
public sealed record ContextFile(string RelativePath, string FullPath, long Length, DateTime LastWriteUtc, bool IsExecutable, string? LinkTarget);

/// <summary>
/// Lists the files of a build context that a <c>.dockerignore</c> lets through, in a stable order.
/// Excluded directories are not walked unless a '!' pattern names a path below them (docker's rule).
/// </summary>
public static class BuildContextScanner
{
    /// <summary>Lists the files of <paramref name="contextDirectory"/> that <paramref name="ignore"/> does not exclude.</summary>
    public static IReadOnlyList<ContextFile> Scan(string contextDirectory, DockerIgnore ignore)
    {
        string root = Path.GetFullPath(contextDirectory);
        var files = new List<ContextFile>();
        Walk(root, string.Empty, ignore, files);
        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }

    private static void Walk(string directory, string relative, DockerIgnore ignore, List<ContextFile> files)
    {
        IEnumerable<FileSystemInfo> entries;
        IO.InputLog.FolderListed(directory);
        try
        {
            entries = new DirectoryInfo(directory).EnumerateFileSystemInfos();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            string rel = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            bool excluded = ignore.IsExcluded(rel);
            bool isLink = entry.LinkTarget is not null;
            if (entry is DirectoryInfo dir && !isLink)
            {
                if (excluded && !ignore.MayReincludeBelow(rel))
                {
                    continue;
                }

                Walk(dir.FullName, rel, ignore, files);
                continue;
            }

            if (excluded)
            {
                continue;
            }

            if (entry is FileInfo or DirectoryInfo)
            {
                long length = entry is FileInfo fi && !isLink ? fi.Length : 0;
                bool exec = !OperatingSystem.IsWindows() && !isLink &&
                    (File.GetUnixFileMode(entry.FullName) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
                files.Add(new ContextFile(rel, entry.FullName, length, entry.LastWriteTimeUtc, exec, entry.LinkTarget));
            }
        }
    }
}
