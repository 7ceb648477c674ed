namespace Sbir.Container.Compose;

/// <summary>
/// The compose file of a project that names none: the one list every target uses (ComposeUp, DockerTest,
/// ContainerValidate), in compose v2's order of preference (compose-go, cli/options.go, DefaultFileNames:
/// compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml). docker-compose v1.29 prefers
/// docker-compose.yml; the SDK passes the file it picked with --file, so both versions use the same one.
/// </summary>
public static class ComposeFileNames
{
    /// <summary>The names, most preferred first.</summary>
    public static IReadOnlyList<string> Default { get; } = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    /// <summary>The first default compose file that exists in <paramref name="projectDirectory"/>, or null.</summary>
    public static string? Find(string projectDirectory)
        => Default.Select(name => Path.Combine(projectDirectory, name)).FirstOrDefault(File.Exists);

    /// <summary><paramref name="files"/> made absolute against <paramref name="projectDirectory"/>; the default file when none is given.</summary>
    public static IReadOnlyList<string> Resolve(string projectDirectory, IEnumerable<string> files)
    {
        var resolved = files.Where(f => f.Trim().Length > 0).Select(f => Path.GetFullPath(f.Trim(), projectDirectory)).ToList();
        if (resolved.Count == 0 && Find(projectDirectory) is { } found)
        {
            resolved.Add(found);
        }

        return resolved;
    }
}
