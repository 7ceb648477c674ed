using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Diagnostics;

/// <summary>The codes the sample's entrypoint scripts write into their JSON log are in the catalogue, and the other way round.</summary>
public class EntrypointCodesTests
{
    [Fact]
    public void Every_code_the_scripts_log_is_catalogued_and_every_entrypoint_code_is_used()
    {
        string scripts = Path.Combine(RepoPaths.Sample, "scripts", "docker");
        // lib.sh's sbir_log takes code=SBCnnnn, reload.py's log() code="SBCnnnn".
        var logged = Directory.GetFiles(scripts, "*.sh").Concat(Directory.GetFiles(scripts, "*.py"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"code=""?(SBC\d{4})").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var catalogued = DiagnosticCatalog.All.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(logged);
        Assert.All(logged, code => Assert.Contains(code, catalogued));
        var entrypoint = new[]
        {
            DiagnosticCatalog.EntrypointNoCodeLocation, DiagnosticCatalog.EntrypointDagsterHome, DiagnosticCatalog.EntrypointCodeLocationImport, DiagnosticCatalog.EntrypointTwoCodeLocations,
            DiagnosticCatalog.EntrypointHostUserInvalid, DiagnosticCatalog.ReloadSyntaxError, DiagnosticCatalog.ReloadServiceExited,
        };
        Assert.All(entrypoint, d => Assert.Contains(d.Code, logged));
    }
}
