using Sbir.Container.Diagnostics;
using Sbir.Container.IO;

namespace Sbir.Container.Context;

/// <summary>
/// The rules of a <c>.dockerignore</c> file, with docker's semantics: patterns are cleaned paths
/// relative to the context root; <c>*</c> and <c>?</c> stay within one path segment, <c>**</c> spans
/// any number of segments; <c>!pattern</c> re-includes; the last matching pattern wins; a pattern
/// that matches a parent directory matches everything below it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules)
    {
        _rules = rules;
    }

    /// <summary>No rules: everything is in the context.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>The patterns as docker reads them (cleaned, with '!' kept), for display and tests.</summary>
    public IReadOnlyList<string> Patterns => _rules.Select(r => (r.Exclusion ? "!" : string.Empty) + r.Pattern).ToList();

    /// <summary>True when some pattern re-includes paths.</summary>
    public bool HasExceptions => _rules.Any(r => r.Exclusion);

    /// <summary>
    /// True when an excluded directory must still be walked because a '!' pattern could re-include something below it:
    /// the pattern, as written after cleaning, starts with the directory's path. This is the rule of docker's own walk
    /// (moby pkg/archive/archive.go, TarWithOptions: an excluded directory is skipped unless
    /// <c>strings.HasPrefix(pat.String()+"/", dir+"/")</c> for some exception pattern), so a '!' pattern that starts
    /// with a wildcard does not open excluded directories to docker, nor here.
    /// </summary>
    public bool MayReincludeBelow(string directoryRelativePath)
    {
        string dir = directoryRelativePath.Replace('\\', '/').Trim('/') + "/";
        foreach (var rule in _rules)
        {
            if (rule.Exclusion && (rule.Pattern + "/").StartsWith(dir, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why the file could not be read (a FIFO, a device, too large, no permission), or null. Nothing is then
    /// excluded, which is what docker would send too if it could read the file at all.
    /// </summary>
    public Diagnostic? Error { get; private init; }

    /// <summary>Reads <c>.dockerignore</c> in <paramref name="contextDirectory"/> (or <c>&lt;Dockerfile&gt;.dockerignore</c> beside the Dockerfile, which BuildKit prefers).</summary>
    public static DockerIgnore Load(string contextDirectory, string? dockerfilePath = null)
    {
        if (dockerfilePath is not null)
        {
            string specific = dockerfilePath + ".dockerignore";
            if (File.Exists(specific) || Directory.Exists(specific))
            {
                return Read(specific);
            }
        }

        string path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) || Directory.Exists(path) ? Read(path) : Empty;
    }

    private static DockerIgnore Read(string path)
    {
        var content = SafeFile.Read(path, MaxFileSize);
        return content.Succeeded ? Parse(content.Text) : new DockerIgnore([]) { Error = content.Error };
    }

    /// <summary>The largest .dockerignore read.</summary>
    private const long MaxFileSize = 4L * 1024 * 1024;

    /// <summary>Parses the text of a .dockerignore file.</summary>
    public static DockerIgnore Parse(string text)
    {
        var rules = new List<Rule>();
        bool first = true;
        foreach (string raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            string line = first ? raw.TrimStart('\uFEFF') : raw;
            first = false;
            if (line.StartsWith('#'))
            {
                continue;
            }

            string pattern = line.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            bool exclusion = pattern[0] == '!';
            if (exclusion)
            {
                pattern = pattern[1..].Trim();
            }

            if (pattern.Length > 0)
            {
                pattern = CleanPath(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                {
                    pattern = pattern[1..];
                }
            }

            rules.Add(new Rule(pattern, exclusion, Compile(pattern)));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>
    /// True when <paramref name="relativePath"/> (forward slashes, relative to the context root) is
    /// excluded from the build context.
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        string path = relativePath.Replace('\\', '/').Trim('/');
        string[] parents = path.Split('/');
        bool matched = false;
        foreach (var rule in _rules)
        {
            // As docker does: an inclusion rule cannot change an already matched path, and an
            // exclusion rule only matters for a path that is currently matched.
            if (rule.Exclusion != matched)
            {
                continue;
            }

            bool match = rule.Matcher.IsMatch(path);
            if (!match && parents.Length > 1)
            {
                for (int i = 1; i < parents.Length && !match; i++)
                {
                    match = rule.Matcher.IsMatch(string.Join('/', parents, 0, i));
                }
            }

            if (match)
            {
                matched = !rule.Exclusion;
            }
        }

        return matched;
    }

    /// <summary>Lexically cleans a slash path as Go's path.Clean does ("a/./b/../c" becomes "a/c").</summary>
    internal static string CleanPath(string path)
    {
        path = path.Replace('\\', '/');
        bool rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        string cleaned = string.Join('/', parts);
        if (rooted)
        {
            return "/" + cleaned;
        }

        return cleaned.Length == 0 ? "." : cleaned;
    }

    /// <summary>A pattern as a matcher of slash paths: '*' and '?' within a segment, '**' across segments, '[...]' classes, '\' escapes.</summary>
    internal static PathPattern Compile(string pattern) => PathPattern.Compile(pattern);

    private sealed record Rule(string Pattern, bool Exclusion, PathPattern Matcher);
}
