using System.Text.Json;

namespace Sbir.Container.IO;

/// <summary>The SDK's JSON state files under obj/ (build states, validation records): read leniently, written atomically.</summary>
public static class StateFile
{
    /// <summary>Reads a state file; null when missing, unreadable or not valid JSON of <typeparamref name="T"/> (the caller then starts afresh).</summary>
    public static T? Read<T>(string path, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), options) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes a state file atomically (temp file, then rename), so a Ctrl+C never leaves half a file.</summary>
    public static void Write<T>(string path, T value, JsonSerializerOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, options));
        File.Move(temp, path, overwrite: true);
    }
}
