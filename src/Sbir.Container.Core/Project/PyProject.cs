using System.Text.RegularExpressions;

namespace Sbir.Container.Project;

/// <summary>
/// The little the SDK reads from a Python project's pyproject.toml: its name and version, for the
/// OCI labels. Enough TOML for the [project] and [tool.poetry] tables; anything else is ignored.
/// </summary>
public static partial class PyProject
{
    /// <summary>Name and version from <paramref name="path"/>; nulls when the file or the keys are missing.</summary>
    public static (string? Name, string? Version) Read(string path)
    {
        var content = IO.SafeFile.Read(path);
        if (!content.Succeeded)
        {
            return (null, null);
        }

        string? table = null;
        string? name = null, version = null, poetryName = null, poetryVersion = null;
        foreach (string raw in content.Text.Split('\n'))
        {
            string line = raw.Trim();
            Match header = TablePattern().Match(line);
            if (header.Success)
            {
                table = header.Groups["name"].Value.Trim();
                continue;
            }

            Match kv = KeyValuePattern().Match(line);
            if (!kv.Success)
            {
                continue;
            }

            string key = kv.Groups["key"].Value;
            string value = kv.Groups["value"].Value;
            switch (table, key)
            {
                case ("project", "name"): name = value; break;
                case ("project", "version"): version = value; break;
                case ("tool.poetry", "name"): poetryName = value; break;
                case ("tool.poetry", "version"): poetryVersion = value; break;
            }
        }

        return (name ?? poetryName, version ?? poetryVersion);
    }

    [GeneratedRegex(@"^\[(?<name>[^\[\]]+)\]\s*(#.*)?$")]
    private static partial Regex TablePattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_-]+)\s*=\s*[""'](?<value>[^""']*)[""']\s*(#.*)?$")]
    private static partial Regex KeyValuePattern();
}
