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

    /// <summary>
    /// Reads a state file through <paramref name="map"/>, which takes the fields from the parsed document by hand; null
    /// when the file is missing, unreadable, not JSON, or <paramref name="map"/> finds a field of the wrong kind. The
    /// records a no-op build reads are read this way: the generated deserializer still costs 40 to 70 ms of start-up in
    /// a fresh process (its converters are generic code the runtime compiles on first use), the document reader a tenth
    /// of that. Writing stays with the generated serializer; the records' tests read back what it wrote.
    /// </summary>
    public static T? Read<T>(string path, Func<JsonElement, T?> map)
        where T : class
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object ? map(document.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A string property (throws KeyNotFoundException or InvalidOperationException when absent or not a string: the file is then ignored).</summary>
    public static string String(this JsonElement e, string name) => e.GetProperty(name).GetString() ?? throw new InvalidOperationException(name);

    /// <summary>A string or null property.</summary>
    public static string? NullableString(this JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    /// <summary>A number property.</summary>
    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    /// <summary>A 64-bit number property.</summary>
    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();

    /// <summary>An enum written by name (the state files' UseStringEnumConverter).</summary>
    public static TEnum Enum<TEnum>(this JsonElement e, string name)
        where TEnum : struct, System.Enum
        => (TEnum)System.Enum.Parse(typeof(TEnum), e.String(name), ignoreCase: false); // not Parse<TEnum>: that generic code is compiled on the spot

    /// <summary>An object of strings, as a dictionary in the file's order.</summary>
    public static Dictionary<string, string> StringMap(this JsonElement e, string name)
        => e.Map(name, v => v.GetString() ?? throw new InvalidOperationException(name));

    /// <summary>An object of values, each mapped by <paramref name="value"/>, in the file's order (the records write their maps sorted).</summary>
    public static Dictionary<string, TValue> Map<TValue>(this JsonElement e, string name, Func<JsonElement, TValue> value)
    {
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var property in e.GetProperty(name).EnumerateObject())
        {
            map[property.Name] = value(property.Value);
        }

        return map;
    }

    /// <summary>
    /// The entries in ordinal key order, the order the state files write and compare them in. A dictionary filled in that
    /// order, rather than a SortedDictionary: the sorted tree's generic code is not precompiled in the framework, and
    /// compiling it on the spot cost every no-op build several milliseconds.
    /// </summary>
    public static Dictionary<string, TValue> Sorted<TValue>(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        var values = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            values[entry.Key] = entry.Value;
        }

        string[] keys = [.. values.Keys];
        Array.Sort(keys, StringComparer.Ordinal);
        var sorted = new Dictionary<string, TValue>(keys.Length, StringComparer.Ordinal);
        foreach (string key in keys)
        {
            sorted[key] = values[key];
        }

        return sorted;
    }

    /// <summary>An array of values, each mapped by <paramref name="item"/>.</summary>
    public static List<TItem> List<TItem>(this JsonElement e, string name, Func<JsonElement, TItem> item)
    {
        var list = new List<TItem>();
        foreach (var element in e.GetProperty(name).EnumerateArray())
        {
            list.Add(item(element));
        }

        return list;
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
