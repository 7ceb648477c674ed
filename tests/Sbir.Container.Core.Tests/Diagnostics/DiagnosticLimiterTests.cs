using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;

namespace Sbir.Container.Core.Tests.Diagnostics;

public class DiagnosticLimiterTests
{
    [Fact]
    public void A_flood_of_one_code_in_one_file_is_cut_to_the_first_twenty_and_one_summary_line()
    {
        // 500 lines that compose cannot read: one SBC1002 per line.
        string env = string.Concat(Enumerable.Range(1, 500).Select(i => $"B@D{i}=x\n"));
        var all = DotenvParser.Parse(env, ".env").Diagnostics;
        Assert.Equal(500, all.Count(d => d.Code == "SBC1002"));

        var shown = DiagnosticLimiter.ForLog(all);
        Assert.Equal(DiagnosticLimiter.PerFileAndCode, shown.Count(d => d.Code == "SBC1002"));
        var summary = Assert.Single(shown, d => d.Code == "SBC0031");
        Assert.Equal(".env", summary.File);
        Assert.Equal(DiagnosticLimiter.PerFileAndCode + 1, summary.Span.Line);
        Assert.StartsWith("480 more SBC1002 findings in this file are not shown (500 in all)", summary.Message);
        Assert.Equal(DiagnosticSeverity.Info, summary.Severity);
    }

    [Fact]
    public void Each_file_and_code_has_its_own_allowance_and_few_findings_pass_untouched()
    {
        var a = DotenvParser.Parse(string.Concat(Enumerable.Repeat("B@A=x\n", 30)), "a.env").Diagnostics;
        var b = DotenvParser.Parse(string.Concat(Enumerable.Repeat("B@B=x\n", 5)), "b.env").Diagnostics;
        var shown = DiagnosticLimiter.ForLog([.. a, .. b]);
        Assert.Equal(20, shown.Count(d => d.File == "a.env" && d.Code == "SBC1002"));
        Assert.Equal(5, shown.Count(d => d.File == "b.env" && d.Code == "SBC1002"));
        Assert.Single(shown, d => d.Code == "SBC0031");

        Assert.Same(b, DiagnosticLimiter.ForLog(b));
    }
}
