using Sbir.Container.Configuration;
using Sbir.Container.Context;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dotenv;
using Sbir.Container.IO;

namespace Sbir.Container.Core.Tests.IO;

/// <summary>
/// The one file-opening path: special files are refused with a code before anything is read (a FIFO with no writer
/// used to block the build forever, /dev/zero ran it out of memory), big files by their size, unreadable ones with
/// the operating system's reason. Every reader goes through it.
/// </summary>
public class SafeFileTests
{
    [Fact]
    public void A_regular_file_is_read()
    {
        using var dir = new TempDirectory();
        string path = dir.Write(".env", "A=1\n");
        var content = SafeFile.Read(path);
        Assert.True(content.Succeeded);
        Assert.Equal("A=1\n", content.Text);
        Assert.Equal(FileKind.Regular, content.Kind);
    }

    [Fact]
    public void An_empty_file_is_read_as_empty()
    {
        using var dir = new TempDirectory();
        var content = SafeFile.Read(dir.Write("empty", string.Empty));
        Assert.True(content.Succeeded);
        Assert.Equal(string.Empty, content.Text);
    }

    [Fact]
    public void A_missing_file_is_no_error_of_its_own()
    {
        using var dir = new TempDirectory();
        var content = SafeFile.Read(Path.Combine(dir.Path, "absent"));
        Assert.Equal(FileKind.Missing, content.Kind);
        Assert.Null(content.Error);
        Assert.Equal(FileKind.Missing, SafeFile.Read(Path.Combine(dir.Path, "absent", "below")).Kind);
    }

    [Fact]
    public void A_fifo_without_writer_is_refused_at_once()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir, ".env");
        var content = Bounded.Run("reading a FIFO", () => SafeFile.Read(fifo));
        Assert.Equal(FileKind.Pipe, content.Kind);
        Assert.Equal("SBC0050", content.Error!.Code);
        Assert.Contains("FIFO", content.Error.Message, StringComparison.Ordinal);
        Assert.Equal(fifo, content.Error.File);
    }

    [Fact]
    public void A_device_is_refused_without_reading_it_to_the_end()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        var content = Bounded.Run("reading /dev/zero", () => SafeFile.Read("/dev/zero"));
        Assert.Equal(FileKind.Device, content.Kind);
        Assert.Equal("SBC0050", content.Error!.Code);
        Assert.Contains("device", content.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_refused()
    {
        using var dir = new TempDirectory();
        var content = SafeFile.Read(dir.Path);
        Assert.Equal(FileKind.Directory, content.Kind);
        Assert.Equal("SBC0050", content.Error!.Code);
        Assert.Contains("a folder", content.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_file_is_refused_by_its_size_without_being_read()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "huge.env");
        using (var stream = File.Create(path))
        {
            // Sparse: a gigabyte on paper, nothing on disk, and nothing is read.
            stream.SetLength(1L << 30);
        }

        var content = Bounded.Run("reading a 1 GiB file", () => SafeFile.Read(path));
        Assert.Equal("SBC0051", content.Error!.Code);
        Assert.Contains("1024 MiB", content.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_error_is_reported_with_the_cause()
    {
        // /proc/self/mem opens and seeks, but reading offset 0 fails with EIO: an I/O fault even for root.
        if (!File.Exists("/proc/self/mem"))
        {
            return;
        }

        var content = SafeFile.Read("/proc/self/mem");
        Assert.Equal("SBC0052", content.Error!.Code);
        Assert.Contains("/proc/self/mem", content.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_reader_refuses_a_fifo()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir, "special");

        Assert.Equal("SBC0050", Assert.Single(Bounded.Run(".env", () => DotenvParser.ParseFile(fifo)).Diagnostics).Code);
        Assert.Equal("SBC0050", Assert.Single(Bounded.Run("Dockerfile", () => DockerfileParser.ParseFile(fifo)).Diagnostics).Code);
        Assert.Equal("SBC0050", Assert.Single(Bounded.Run("config", () => ContainerConfigLoader.Load(fifo)).Diagnostics).Code);
        Assert.Equal("SBC0050", Bounded.Run("compose", () => Sbir.Container.Compose.ComposeFile.Load(fifo, _ => null, Sbir.Container.Diagnostics.DiagnosticSeverity.Error)).Diagnostics.Single().Code);
        File.Move(fifo, Path.Combine(dir.Path, ".dockerignore"));
        Assert.Equal("SBC0050", Bounded.Run(".dockerignore", () => DockerIgnore.Load(dir.Path)).Error!.Code);
    }

    [Fact]
    public void Every_reader_refuses_dev_zero()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        Assert.Equal("SBC0050", Assert.Single(Bounded.Run(".env", () => DotenvParser.ParseFile("/dev/zero")).Diagnostics).Code);
        Assert.Equal("SBC0050", Assert.Single(Bounded.Run("Dockerfile", () => DockerfileParser.ParseFile("/dev/zero")).Diagnostics).Code);
        Assert.Equal("SBC0050", Assert.Single(Bounded.Run("config", () => ContainerConfigLoader.Load("/dev/zero")).Diagnostics).Code);
    }

    [Fact]
    public void The_configuration_file_is_reported_when_named_and_missing_or_empty()
    {
        using var dir = new TempDirectory();
        string absent = Path.Combine(dir.Path, "config", "docker.yaml");
        Assert.Null(ContainerConfigLoader.CheckPresence(absent, explicitlySet: false));
        Assert.Equal("SBC0054", ContainerConfigLoader.CheckPresence(absent, explicitlySet: true)!.Code);
        string empty = dir.Write("config/empty.yaml", "\n  \n");
        Assert.Equal("SBC0055", ContainerConfigLoader.CheckPresence(empty, explicitlySet: false)!.Code);
        Assert.Null(ContainerConfigLoader.CheckPresence(dir.Write("config/ok.yaml", "version: 1\n"), explicitlySet: true));
        Assert.Equal("SBC0050", Assert.Single(ContainerConfigLoader.Load(Path.Combine(dir.Path, "config")).Diagnostics).Code);
    }

    /// <summary>Makes a FIFO with mkfifo(1), which every Unix has.</summary>
    internal static string MakeFifo(TempDirectory dir, string name)
    {
        string path = Path.Combine(dir.Path, name);
        var run = System.Diagnostics.Process.Start("mkfifo", [path])!;
        run.WaitForExit();
        Assert.Equal(0, run.ExitCode);
        return path;
    }
}
