using System.Collections;

namespace Sbir.Container.Engine;

/// <summary>
/// The environment variables the core consults (PATH, DOCKER_HOST, DOCKER_CONTEXT, ...), read once and
/// passed in, so that tests can give any environment without touching the real one.
/// </summary>
public sealed class EnvironmentSnapshot
{
    private readonly Dictionary<string, string> _values;

    /// <summary>Creates a snapshot from explicit values.</summary>
    public EnvironmentSnapshot(IEnumerable<KeyValuePair<string, string>> values)
    {
        _values = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values[key] = value;
        }
    }

    /// <summary>The current process environment.</summary>
    public static EnvironmentSnapshot FromProcess()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            pairs.Add(new((string)entry.Key, (string?)entry.Value ?? string.Empty));
        }

        return new EnvironmentSnapshot(pairs);
    }

    /// <summary>The value of <paramref name="name"/>, or null when unset.</summary>
    public string? Get(string name)
    {
        string? value = _values.TryGetValue(name, out string? v) ? v : null;
        IO.InputLog.VariableRead(name, value);
        return value;
    }

    /// <summary>The value of <paramref name="name"/>, or null when unset or empty.</summary>
    public string? GetNonEmpty(string name) => string.IsNullOrEmpty(Get(name)) ? null : Get(name);

    /// <summary>The names of every variable in the snapshot.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>The docker CLI's config.json: $DOCKER_CONFIG/config.json, else ~/.docker/config.json (credentials, the current context).</summary>
    public string DockerConfigFile
        => System.IO.Path.Combine(GetNonEmpty("DOCKER_CONFIG") ?? System.IO.Path.Combine(GetNonEmpty("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    /// <summary>PATH.</summary>
    public string Path => Get("PATH") ?? string.Empty;
}
