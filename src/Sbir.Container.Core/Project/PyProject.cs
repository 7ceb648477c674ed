namespace Sbir.Container.Project;

/// <summary>
/// The little the SDK reads from a Python project's pyproject.toml: its name and version, for the
/// OCI labels, from the [project] and [tool.poetry] tables (through <see cref="TomlLines"/>).
/// </summary>
public static class PyProject
{
    /// <summary>Name and version from <paramref name="path"/>; nulls when the file or the keys are missing.</summary>
    public static (string? Name, string? Version) Read(string path)
    {
        string? name = null, version = null, poetryName = null, poetryVersion = null;
        foreach (var entry in TomlLines.Read(path))
        {
            switch (entry.Table, entry.Key)
            {
                case ("project", "name"): name = entry.Value; break;
                case ("project", "version"): version = entry.Value; break;
                case ("tool.poetry", "name"): poetryName = entry.Value; break;
                case ("tool.poetry", "version"): poetryVersion = entry.Value; break;
            }
        }

        return (name ?? poetryName, version ?? poetryVersion);
    }
}
