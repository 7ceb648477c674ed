// Console front end of the secret scanner for the benchmark: scans files and folders and prints one line per
// finding, either in MSBuild's canonical form or as tab-separated path, line, column, code (--tsv).
using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;

bool tsv = false;
bool example = false;
bool all = false;
var targets = new List<string>();
foreach (string arg in args)
{
    switch (arg)
    {
        case "--tsv": tsv = true; break;
        case "--example": example = true; break;
        case "--all": all = true; break;
        default: targets.Add(arg); break;
    }
}

var files = new List<string>();
foreach (string target in targets)
{
    if (Directory.Exists(target))
    {
        files.AddRange(all
            ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : SecretScanner.DiscoverFiles(target));
    }
    else
    {
        files.Add(Path.GetFullPath(target));
    }
}

var options = new SecretScanOptions { IsExampleFile = example };
int errors = 0;
var output = new System.Text.StringBuilder();
foreach (string file in files)
{
    string text = File.ReadAllText(file);
    var result = SecretScanner.ScanFile(file, text, options);
    foreach (var d in result.Diagnostics)
    {
        if (d.Severity == DiagnosticSeverity.Error)
        {
            errors++;
        }

        output.AppendLine(tsv ? $"{file}\t{d.Span.Line}\t{d.Span.Column}\t{d.Code}" : d.ToString());
    }
}

Console.Out.Write(output.ToString());
Console.Error.WriteLine($"{files.Count} files scanned, {errors} error-level findings");
return errors > 0 ? 1 : 0;
