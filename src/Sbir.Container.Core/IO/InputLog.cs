using System.Security.Cryptography;
using System.Text;

namespace Sbir.Container.IO;

/// <summary>A file as a piece of work saw it: its kind, size and write time, and a salted hash of its bytes.</summary>
/// <param name="Kind">What the path was.</param>
/// <param name="Length">Its size in bytes (0 unless a regular file).</param>
/// <param name="Ticks">Its last write time (UTC ticks; 0 unless a regular file).</param>
/// <param name="Hash">The salted SHA-256 of its content, of its kind for anything else, or empty when only its size and time count.</param>
public sealed record FileInput(FileKind Kind, long Length, long Ticks, string Hash);

/// <summary>
/// Records what a piece of work read (every file through <see cref="SafeFile.Read"/>, every folder the build-context and
/// secret-scan walkers listed, every environment variable looked up through <c>EnvironmentSnapshot.Get</c>) while it is
/// the active log of the calling flow, so that the work can be skipped later when none of it changed (ContainerValidate's
/// record under obj/). Values are kept only as hashes salted with a random salt of the log: no content, and no secret
/// value from .env or the environment, is ever kept.
/// </summary>
public sealed class InputLog : IDisposable
{
    /// <summary>Folder names that no listing counts: the SDK's and tools' own output, which the walkers skip too.</summary>
    public static readonly IReadOnlySet<string> IgnoredNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".git", "obj", "bin", "node_modules", ".venv", "__pycache__", ".pytest_cache", "TestResults",
    };

    private static readonly AsyncLocal<InputLog?> ActiveLog = new();
    private readonly InputLog? _outer;
    private readonly object _gate = new();
    private bool _disposed;

    private InputLog(byte[] salt)
    {
        Salt = salt;
        _outer = ActiveLog.Value;
        ActiveLog.Value = this;
    }

    /// <summary>The salt of every hash of this log.</summary>
    public byte[] Salt { get; }

    /// <summary>Files by full path.</summary>
    public Dictionary<string, FileInput> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Salted hashes of folder listings (the names in it, folders marked), by full path.</summary>
    public Dictionary<string, string> Listings { get; } = new(StringComparer.Ordinal);

    /// <summary>Salted hashes of environment variables (of "unset" when absent), by name.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts recording in the calling flow (until disposed) with a fresh random salt.</summary>
    public static InputLog Start() => new(RandomNumberGenerator.GetBytes(16));

    /// <summary>The log of the calling flow, if one is recording.</summary>
    public static InputLog? Active => ActiveLog.Value;

    /// <summary>Stops recording; an outer log (if any) records again.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            ActiveLog.Value = _outer;
        }
    }

    /// <summary>The salted SHA-256 of <paramref name="bytes"/>, as hex.</summary>
    public static string HashOf(byte[] salt, ReadOnlySpan<byte> bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(salt);
        hash.AppendData(bytes);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The salted hash of a text.</summary>
    public static string HashOf(byte[] salt, string? text) => HashOf(salt, Encoding.UTF8.GetBytes(text is null ? "\0unset" : "=" + text));

    /// <summary>The file as it is now: kind, size and time (no content read).</summary>
    public static (FileKind Kind, long Length, long Ticks) Stat(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists)
            {
                return (FileKind.Regular, info.Length, info.LastWriteTimeUtc.Ticks);
            }

            return Directory.Exists(path) ? (FileKind.Directory, 0, 0) : (FileKind.Missing, 0, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (FileKind.Unreadable, 0, 0);
        }
    }

    /// <summary>The salted hash of a folder's listing as the walkers count it, or of its absence.</summary>
    public static string ListingHash(byte[] salt, string directory)
    {
        try
        {
            // Every entry, hidden ones too, as DirectoryInfo lists them; a link to a folder counts as a folder, as it
            // does there. Plain strings and a sort, no LINQ over tuples: this runs for every folder on every no-op build,
            // where each generic instantiation the framework has not precompiled costs start-up time.
            var names = new List<string>();
            var entries = new System.IO.Enumeration.FileSystemEnumerable<string>(
                directory,
                (ref System.IO.Enumeration.FileSystemEntry entry) => entry.IsDirectory ? entry.FileName.ToString() + "/" : entry.FileName.ToString(),
                ListingOptions);
            foreach (string name in entries)
            {
                if (!(name.EndsWith('/') && IgnoredNames.Contains(name[..^1])))
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return HashOf(salt, string.Join("\n", names));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return HashOf(salt, "\0unlistable");
        }
    }

    /// <summary>What DirectoryInfo.EnumerateFileSystemInfos() lists: everything, hidden and system entries included.</summary>
    private static readonly EnumerationOptions ListingOptions = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    /// <summary>Notes a file read through <see cref="SafeFile"/>: its kind, and the hash of its bytes when it was read.</summary>
    internal static void FileRead(string path, FileKind kind, long length, long ticks, byte[]? bytes)
    {
        if (ActiveLog.Value is not { } log)
        {
            return;
        }

        string full = Path.GetFullPath(path);
        string hash = bytes is null ? HashOf(log.Salt, "\0kind:" + kind) : HashOf(log.Salt, bytes);
        lock (log._gate)
        {
            log.Files[full] = new FileInput(kind, kind == FileKind.Regular ? length : 0, kind == FileKind.Regular ? ticks : 0, hash);
        }
    }

    /// <summary>Notes a file whose presence, size and time count but whose content is not read here (.git/index, a .gitignore git reads, a file probed for existence).</summary>
    public static void FileProbed(string path)
    {
        if (ActiveLog.Value is not { } log)
        {
            return;
        }

        string full = Path.GetFullPath(path);
        var (kind, length, ticks) = Stat(full);
        lock (log._gate)
        {
            log.Files.TryAdd(full, new FileInput(kind, length, ticks, string.Empty));
        }
    }

    /// <summary>Notes the listing of <paramref name="directory"/>; a walker calls it before it lists the folder itself, so that an entry added meanwhile shows as a change later.</summary>
    public static void FolderListed(string directory)
    {
        if (ActiveLog.Value is not { } log)
        {
            return;
        }

        string hash = ListingHash(log.Salt, directory);
        lock (log._gate)
        {
            log.Listings[Path.GetFullPath(directory)] = hash;
        }
    }

    /// <summary>Notes an environment variable looked up, as the salted hash of its value.</summary>
    public static void VariableRead(string name, string? value)
    {
        if (ActiveLog.Value is not { } log)
        {
            return;
        }

        string hash = HashOf(log.Salt, value);
        lock (log._gate)
        {
            log.Variables[name] = hash;
        }
    }
}
