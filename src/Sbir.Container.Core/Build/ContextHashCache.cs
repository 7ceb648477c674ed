using System.Globalization;
using System.Security.Cryptography;
using Sbir.Container.Context;
using Sbir.Container.IO;

namespace Sbir.Container.Build;

/// <summary>
/// Content hashes of context files, remembered with their size and write time so that an unchanged
/// file is not read again on the next build. Kept in one text file under obj/.
/// </summary>
public sealed class ContextHashCache
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private string? _loadedFrom;

    /// <summary>Files whose hash had to be computed during this run (for benchmarks and tests).</summary>
    public int Misses { get; private set; }

    /// <summary>Loads a cache file; an unreadable one is treated as empty.</summary>
    public static ContextHashCache Load(string path)
    {
        var cache = new ContextHashCache();
        try
        {
            if (!File.Exists(path))
            {
                return cache;
            }

            foreach (string line in File.ReadLines(path))
            {
                string[] parts = line.Split('\t');
                if (parts.Length == 4 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                    && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
                {
                    cache._entries[parts[0]] = new Entry(length, ticks, parts[3]);
                }
            }

            cache._loadedFrom = path;
        }
        catch (IOException)
        {
            cache._entries.Clear();
        }

        return cache;
    }

    /// <summary>Returns the SHA-256 of <paramref name="file"/>'s content (or link target), reusing the cached one when size and time match.</summary>
    public string HashOf(ContextFile file)
    {
        long ticks = file.LastWriteUtc.Ticks;
        if (_entries.TryGetValue(file.RelativePath, out var entry) && entry.Length == file.Length && entry.Ticks == ticks)
        {
            return entry.Hash;
        }

        Misses++;
        string hash;
        if (file.LinkTarget is not null)
        {
            hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("link:" + file.LinkTarget)));
        }
        else
        {
            // A FIFO or device in the context is never opened for reading (it would block or never end): docker sends
            // such entries as special files without content, so their kind is what counts.
            var (stream, kind, _) = SafeFile.Open(file.FullPath);
            using (stream)
            {
                hash = stream is null
                    ? Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("special:" + kind)))
                    : Convert.ToHexString(SHA256.HashData(stream));
            }
        }

        _entries[file.RelativePath] = new Entry(file.Length, ticks, hash);
        return hash;
    }

    /// <summary>Saves the entries for the given files only (entries of deleted files are dropped).</summary>
    public void Save(string path, IEnumerable<ContextFile> current)
    {
        var keep = current.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        if (Misses == 0 && _loadedFrom == path && keep.Count == _entries.Count && _entries.Keys.All(keep.Contains))
        {
            // Every hash came from the file and no entry went away: it already says exactly this (a no-op writes nothing).
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + ".tmp";
        using (var writer = new StreamWriter(temp))
        {
            foreach (var (key, e) in _entries.Where(e => keep.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                writer.Write('\t');
                writer.Write(e.Length.ToString(CultureInfo.InvariantCulture));
                writer.Write('\t');
                writer.Write(e.Ticks.ToString(CultureInfo.InvariantCulture));
                writer.Write('\t');
                writer.WriteLine(e.Hash);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed record Entry(long Length, long Ticks, string Hash);
}
