using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>One finding, reduced to what the tests check: code, position, and the text the span covers.</summary>
internal sealed record Finding(string Code, int Line, int Column, string Text, DiagnosticSeverity Severity, string Message);

/// <summary>Runs the scanner on inline text and reads back the spans.</summary>
internal static class SecretScan
{
    public static SecretScanResult Run(string text, string path, bool example = false, params string[] secretVariables)
        => SecretScanner.ScanFile(path, text, new SecretScanOptions
        {
            IsExampleFile = example,
            SecretVariables = new HashSet<string>(secretVariables, StringComparer.OrdinalIgnoreCase),
        });

    public static List<Finding> Findings(string text, string path, bool example = false, params string[] secretVariables)
        => Read(text, Run(text, path, example, secretVariables));

    public static List<Finding> Read(string text, SecretScanResult result)
    {
        string[] lines = text.Split('\n');
        return result.Diagnostics.Select(d =>
        {
            string covered = string.Empty;
            if (d.Span.HasPosition && d.Span.Line == d.Span.EndLine && d.Span.Line <= lines.Length)
            {
                string line = lines[d.Span.Line - 1];
                int start = Math.Min(line.Length, d.Span.Column - 1);
                int length = Math.Max(0, Math.Min(line.Length, d.Span.EndColumn) - start);
                covered = line.Substring(start, length);
            }

            return new Finding(d.Code, d.Span.Line, d.Span.Column, covered, d.Severity, d.Message);
        }).ToList();
    }

    /// <summary>Asserts exactly one finding, with this code, covering exactly <paramref name="value"/> where it first appears on its line.</summary>
    public static Finding Single(string text, string path, string code, string value, bool example = false, params string[] secretVariables)
    {
        var findings = Findings(text, path, example, secretVariables);
        var finding = Assert.Single(findings);
        Assert.Equal(code, finding.Code);
        Assert.Equal(value, finding.Text);
        string line = text.Split('\n')[finding.Line - 1];
        Assert.Equal(line.IndexOf(value, StringComparison.Ordinal) + 1, finding.Column);
        return finding;
    }

    public static void None(string text, string path, bool example = false, params string[] secretVariables)
    {
        var findings = Findings(text, path, example, secretVariables);
        Assert.True(findings.Count == 0, "Expected no findings, got:\n" + string.Join('\n', findings));
    }
}
