namespace Sbir.Container.Engine;

/// <summary>Finds an executable by path or by name on PATH, as a shell would.</summary>
public static class ExecutableLocator
{
    /// <summary>
    /// Resolves <paramref name="nameOrPath"/>: a value with a directory separator is taken as a path
    /// (relative to <paramref name="baseDirectory"/>), a bare name is searched in <paramref name="pathVariable"/>.
    /// Returns null when nothing executable is found.
    /// </summary>
    public static string? Find(string nameOrPath, string? pathVariable, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            return null;
        }

        if (nameOrPath.Contains('/') || nameOrPath.Contains('\\'))
        {
            string full = Path.GetFullPath(nameOrPath, baseDirectory ?? Directory.GetCurrentDirectory());
            return IsExecutable(full) ? full : null;
        }

        foreach (string dir in (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in Candidates(Path.Combine(dir, nameOrPath)))
            {
                if (IsExecutable(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Every executable named <paramref name="name"/> on PATH, in PATH order, without duplicates.</summary>
    public static IReadOnlyList<string> FindAll(string name, string? pathVariable)
    {
        var found = new List<string>();
        foreach (string dir in (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in Candidates(Path.Combine(dir, name)))
            {
                if (IsExecutable(candidate) && !found.Contains(candidate, StringComparer.Ordinal))
                {
                    found.Add(candidate);
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> Candidates(string path)
    {
        yield return path;
        if (OperatingSystem.IsWindows())
        {
            yield return path + ".exe";
            yield return path + ".cmd";
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
