using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Diagnostics;

/// <summary>A SARIF path the user cannot write to is their environment: a coded error naming it and the cause, never SBC0001.</summary>
public class SarifWriterTests
{
    private static readonly Diagnostic[] Findings = [DiagnosticCatalog.EnvEmptySecret.Create(".env", SourceSpan.OnLine(1), "NEO4J_PASSWORD")];

    [Fact]
    public void Writes_the_file()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "out", "validate.sarif");
        Assert.Null(SarifWriter.Write(path, Findings, dir.Path, "1.0.0"));
        Assert.Contains("SBC1106", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_in_its_place_is_SBC0053()
    {
        using var dir = new TempDirectory();
        var error = SarifWriter.Write(dir.Path, Findings, dir.Path, "1.0.0");
        Assert.Equal("SBC0053", error!.Code);
        Assert.Contains("it is a folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("SbirContainerSarifOutput", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_is_SBC0053_and_is_not_written_to()
    {
        if (!File.Exists("/dev/full"))
        {
            return;
        }

        var error = SarifWriter.Write("/dev/full", Findings, "/", "1.0.0");
        Assert.Equal("SBC0053", error!.Code);
        Assert.Contains("it is a device", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists("/dev/full"));
    }

    [Fact]
    public void A_fifo_is_SBC0053_and_is_not_written_to()
    {
        using var dir = new TempDirectory();
        string fifo = IO.SafeFileTests.MakeFifo(dir, "out.sarif");
        var error = Bounded.Run("writing SARIF to a FIFO", () => SarifWriter.Write(fifo, Findings, dir.Path, "1.0.0"));
        Assert.Equal("SBC0053", error!.Code);
    }
}
