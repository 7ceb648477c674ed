using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sbir.Container.IO;

/// <summary>
/// The SDK's JSON state files under obj/ (build states, validation records): read leniently, written atomically, through
/// serializers generated at compile time (<see cref="StateJson"/>): a no-op build reads two of them, and reflection-based
/// JSON costs tens of milliseconds of JIT in every fresh MSBuild process.
/// </summary>
public static class StateFile
{
    /// <summary>Reads a state file; null when missing, unreadable or not valid JSON of <typeparamref name="T"/> (the caller then starts afresh).</summary>
    public static T? Read<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), type) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes a state file atomically (temp file, then rename), so a Ctrl+C never leaves half a file.</summary>
    public static void Write<T>(string path, T value, JsonTypeInfo<T> type)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, type));
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>The compile-time serializers of the state files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Build.BuildState))]
[JsonSerializable(typeof(Validation.ValidationRecord))]
internal sealed partial class StateJson : JsonSerializerContext
{
}
