namespace Sbir.Container.Diagnostics;

/// <summary>
/// Keeps the build log readable when a file is garbage: a .env of random bytes yields a hundred thousand
/// findings of one kind, and a log that long hides everything else. The first findings of each code in
/// each file are shown; the rest become one line that says how many there are and where to see them all
/// (the SARIF file, which always gets every finding, as do the error and warning counts).
/// </summary>
public static class DiagnosticLimiter
{
    /// <summary>Findings of one code in one file shown before the rest are summarised.</summary>
    public const int PerFileAndCode = 20;

    /// <summary>The diagnostics to log: the first <paramref name="limit"/> of each (file, code), in order, each group's summary after its last shown finding.</summary>
    public static IReadOnlyList<Diagnostic> ForLog(IReadOnlyList<Diagnostic> all, int limit = PerFileAndCode)
    {
        if (all.Count <= limit)
        {
            // No group can be over the limit (the usual case, and every no-op build's).
            return all;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in all)
        {
            string key = Key(d);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        if (counts.Values.All(c => c <= limit))
        {
            return all;
        }

        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Diagnostic>(all.Count);
        foreach (var d in all)
        {
            string key = Key(d);
            int seen = shown.TryGetValue(key, out int n) ? n + 1 : 1;
            shown[key] = seen;
            if (seen <= limit)
            {
                result.Add(d);
            }
            else if (seen == limit + 1)
            {
                int total = counts[key];
                result.Add(DiagnosticCatalog.FindingsNotShown.Create(d.File, d.Span, total - limit, d.Code, total));
            }
        }

        return result;
    }

    /// <summary>The group of a finding: its file and code (a NUL separates them; no path holds one).</summary>
    private static string Key(Diagnostic d) => (d.File ?? string.Empty) + "\0" + d.Code;
}
