using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.IO;

/// <summary>What a path turned out to be when it was opened.</summary>
public enum FileKind
{
    /// <summary>Nothing there.</summary>
    Missing,

    /// <summary>A regular file: safe to read.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A FIFO (named pipe) or socket: reading waits for a writer that may never come.</summary>
    Pipe,

    /// <summary>A device such as /dev/zero or /dev/urandom: reading never ends.</summary>
    Device,

    /// <summary>It exists but could not be opened or read (permissions, I/O error).</summary>
    Unreadable,
}

/// <summary>The outcome of reading a file: its bytes, or why not (a coded diagnostic naming the path and the cause).</summary>
/// <param name="Kind">What the path is.</param>
/// <param name="Bytes">The content, when <paramref name="Error"/> is null and the file exists.</param>
/// <param name="Error">SBC0050 to SBC0052, or null.</param>
public sealed record FileContent(FileKind Kind, byte[]? Bytes, Diagnostic? Error)
{
    /// <summary>True when the file exists and was read.</summary>
    public bool Succeeded => Error is null && Bytes is not null;

    /// <summary>The content as text, decoded as <see cref="File.ReadAllText(string)"/> does (a byte order mark decides, else UTF-8 with replacement characters).</summary>
    public string Text => Bytes is null ? string.Empty : Decode(Bytes);

    internal static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The one way the SDK opens a file it was pointed at (.env, config/docker.yaml, compose files, Dockerfiles,
/// .dockerignore, every file the secret scanner reads, the files it hashes). A user can point any of those at
/// something that is not a file: a FIFO blocks the reader forever (and Ctrl+C with it), /dev/zero never ends and
/// runs the process out of memory. So the kind is checked before anything is read, and the size is capped:
/// <list type="bullet">
/// <item>a folder, a FIFO, a socket or a device is SBC0050, found without reading (on Unix the file is opened
/// with O_NONBLOCK, which returns at once for a FIFO with no writer; a device is told from a file by being
/// unseekable, or by giving more bytes than its size says);</item>
/// <item>a regular file larger than the reader's limit is SBC0051, found from its size;</item>
/// <item>a file that cannot be opened or read (permissions, I/O errors) is SBC0052 with the operating system's reason.</item>
/// </list>
/// It never throws for any of these.
/// </summary>
public static class SafeFile
{
    /// <summary>The limit for text the SDK reads (configuration, .env, compose files, Dockerfiles): far above any real one.</summary>
    public const long DefaultLimit = 16L * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> if it is a regular file of at most <paramref name="limit"/> bytes.</summary>
    public static FileContent Read(string path, long limit = DefaultLimit)
    {
        var (stream, kind, error) = Open(path);
        if (stream is null)
        {
            return new FileContent(kind, null, error);
        }

        using (stream)
        {
            try
            {
                long length = stream.Length;
                if (length > limit)
                {
                    return new FileContent(FileKind.Regular, null, TooLarge(path, length, limit));
                }

                // Read one byte past the limit: a device reports size 0 and then never stops giving bytes.
                var buffer = new MemoryStream((int)Math.Min(Math.Max(length, 0) + 1, limit + 1));
                byte[] chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length))) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > limit || buffer.Length > length)
                    {
                        break;
                    }
                }

                if (buffer.Length > length)
                {
                    // More bytes than the file's size: /dev/zero, /dev/urandom, /proc files.
                    return new FileContent(FileKind.Device, null, NotRegular(path, FileKind.Device));
                }

                return new FileContent(FileKind.Regular, buffer.ToArray(), null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return new FileContent(FileKind.Unreadable, null, Unreadable(path, ex.Message));
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading when it is a regular file (of any size: the caller streams it, as
    /// the build-context hasher does). Otherwise the stream is null and <c>Kind</c> says why; <c>Error</c> is the
    /// coded diagnostic (null for <see cref="FileKind.Missing"/>).
    /// </summary>
    public static (Stream? Stream, FileKind Kind, Diagnostic? Error) Open(string path)
    {
        if (Directory.Exists(path))
        {
            return (null, FileKind.Directory, NotRegular(path, FileKind.Directory));
        }

        FileStream stream;
        try
        {
            stream = OperatingSystem.IsWindows() ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan) : OpenUnix(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, FileKind.Missing, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, FileKind.Unreadable, Unreadable(path, ex.Message));
        }

        try
        {
            if (!stream.CanSeek)
            {
                // Pipes, FIFOs, sockets and terminals cannot seek; regular files and folders can.
                stream.Dispose();
                return (null, FileKind.Pipe, NotRegular(path, FileKind.Pipe));
            }

            if (stream.Length == 0 && !OperatingSystem.IsWindows() && IsCharacterDevice(stream))
            {
                stream.Dispose();
                return (null, FileKind.Device, NotRegular(path, FileKind.Device));
            }

            return (stream, FileKind.Regular, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            stream.Dispose();
            return (null, FileKind.Unreadable, Unreadable(path, ex.Message));
        }
    }

    /// <summary>
    /// The kind of <paramref name="path"/> without reading more than one byte of it, for walkers that must not open
    /// special files (the build-context hasher, the secret scanner's file list).
    /// </summary>
    public static FileKind KindOf(string path)
    {
        var (stream, kind, _) = Open(path);
        stream?.Dispose();
        return kind;
    }

    /// <summary>SBC0052 for a file the operating system would not let the SDK read, with its reason.</summary>
    public static Diagnostic Unreadable(string path, string cause)
        => DiagnosticCatalog.FileUnreadable.Create(path, SourceSpan.None, path, cause.TrimEnd('.'));

    private static Diagnostic NotRegular(string path, FileKind kind)
        => DiagnosticCatalog.FileNotRegular.Create(path, SourceSpan.None, path, kind switch
        {
            FileKind.Directory => "a folder",
            FileKind.Pipe => "a FIFO (named pipe) or socket, which blocks a reader until something writes to it",
            _ => "a device, which gives bytes without end",
        });

    private static Diagnostic TooLarge(string path, long length, long limit)
        => DiagnosticCatalog.FileTooLarge.Create(path, SourceSpan.None, path, SizeText(length), SizeText(limit));

    /// <summary>A size as messages give it: 5 bytes, 1.5 KiB, 16 MiB.</summary>
    public static string SizeText(long bytes)
        => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes} bytes";

    /// <summary>
    /// A seekable file that says it is empty may be a device (/dev/zero seeks fine and reports size 0): it is one when
    /// one byte can still be read from it. A real empty file gives none.
    /// </summary>
    private static bool IsCharacterDevice(FileStream stream)
    {
        Span<byte> one = stackalloc byte[1];
        bool device = stream.Read(one) > 0;
        stream.Position = 0;
        return device;
    }

    /// <summary>open(2) with O_NONBLOCK, so that opening a FIFO that has no writer returns at once instead of waiting.</summary>
    private static FileStream OpenUnix(string path)
    {
        int flags = OperatingSystem.IsLinux() ? LinuxNonBlock | LinuxCloseOnExec
            : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? BsdNonBlock | MacCloseOnExec
            : BsdNonBlock | FreeBsdCloseOnExec;
        int fd = NativeOpen(path, flags);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string reason = Marshal.GetPInvokeErrorMessage(errno);
            throw errno is ENOENT or ENOTDIR ? new FileNotFoundException(reason, path)
                : errno == EACCES || errno == EPERM ? new UnauthorizedAccessException(reason)
                : new IOException(reason);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // open(2) flags and errno values: O_RDONLY is 0 everywhere; the others differ between Linux and the BSDs.
    private const int LinuxNonBlock = 0x800;
    private const int LinuxCloseOnExec = 0x80000;
    private const int BsdNonBlock = 0x4;
    private const int MacCloseOnExec = 0x1000000;
    private const int FreeBsdCloseOnExec = 0x100000;
    private const int ENOENT = 2;
    private const int EPERM = 1;
    private const int EACCES = 13;
    private const int ENOTDIR = 20;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
