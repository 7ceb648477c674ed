using System.Text.RegularExpressions;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Context;

/// <summary>A file of the build context that a COPY or ADD of the Dockerfile puts into an image.</summary>
/// <param name="File">The context file.</param>
/// <param name="CopiedAt">The first COPY or ADD instruction that takes it (for the message: "Dockerfile line 86 copies it").</param>
public sealed record ImageFile(ContextFile File, DockerfileInstruction CopiedAt);

/// <summary>
/// The one notion of "a file the image will contain": the build context as docker sends it (what .dockerignore lets
/// through, <see cref="BuildContextScanner"/>), narrowed to the files some COPY or ADD of the Dockerfile takes from the
/// context, in any stage (the builder image is tagged and kept too). A source matches as docker matches it: a path
/// relative to the context, '*', '?' and '[...]' within one path segment, a folder taking everything below it.
/// A source that uses a build variable (<c>COPY ${APP_DIR} .</c>) may be anything, so it counts as the whole context.
/// What decides which files are checked for secrets and line endings, whatever their format.
/// </summary>
public static class ImageContents
{
    /// <summary>The context files some COPY or ADD without --from takes, in context order, each with the first instruction that takes it.</summary>
    public static IReadOnlyList<ImageFile> Files(IReadOnlyList<ContextFile> context, DockerfileDocument dockerfile)
    {
        var sources = new List<(Source Source, DockerfileInstruction Instruction)>();
        foreach (var instruction in dockerfile.Instructions)
        {
            if (instruction.Keyword is not ("COPY" or "ADD") || instruction.Flag("from") is not null)
            {
                continue;
            }

            var (words, _) = InstructionText.CopyArguments(instruction, dockerfile.EscapeCharacter);
            foreach (var word in words)
            {
                if (Source.Of(word.Value) is { } source)
                {
                    sources.Add((source, instruction));
                }
            }
        }

        var files = new List<ImageFile>();
        foreach (var file in context)
        {
            foreach (var (source, instruction) in sources)
            {
                if (source.Takes(file.RelativePath))
                {
                    files.Add(new ImageFile(file, instruction));
                    break;
                }
            }
        }

        return files;
    }

    /// <summary>
    /// Why <paramref name="source"/> (a COPY/ADD source as written) does not name a file of the build context, or null
    /// when it does: '..' climbing above the context root (docker refuses it: "forbidden path outside the build
    /// context"), or an absolute path, which docker reads from the context root and never from the host. A URL or a
    /// build variable is not judged.
    /// </summary>
    public static string? OutsideContextReason(string source)
    {
        string s = source.Trim();
        if (s.Length == 0 || (s[0] != '/' && !s.Contains("..", StringComparison.Ordinal)) || IsUrl(s) || s.Contains('$', StringComparison.Ordinal))
        {
            return null;
        }

        if (ClimbsOut(s))
        {
            return "it climbs above the build context with '..', which docker refuses (forbidden path outside the build context)";
        }

        return s.StartsWith('/') && DockerIgnore.CleanPath(s) != "/"
            ? "it is an absolute path, which docker reads from the root of the build context, never from the host"
            : null;
    }

    /// <summary>True when the cleaned path, taken from the context root, goes above it.</summary>
    private static bool ClimbsOut(string s)
    {
        string cleaned = DockerIgnore.CleanPath(s.TrimStart('/'));
        return cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal);
    }

    private static bool IsUrl(string s)
        => s.Contains("://", StringComparison.Ordinal) || s.StartsWith("git@", StringComparison.Ordinal);

    /// <summary>One COPY/ADD source as a pattern over context paths.</summary>
    private sealed class Source
    {
        private readonly PathPattern[]? _segments;

        private Source(PathPattern[]? segments)
        {
            _segments = segments;
        }

        /// <summary>The pattern of <paramref name="written"/>, or null for a URL or a path outside the context.</summary>
        public static Source? Of(string written)
        {
            string s = written.Trim();
            if (s.Length == 0 || IsUrl(s) || ClimbsOut(s))
            {
                return null;
            }

            if (s.Contains('$', StringComparison.Ordinal))
            {
                return new Source(null);
            }

            string cleaned = DockerIgnore.CleanPath(s.TrimStart('/'));
            if (cleaned is "." or "")
            {
                return new Source(null);
            }

            // One segment has no '/', so .dockerignore's glob (docker's own filepath.Match rules) matches it as COPY does.
            return new Source(cleaned.Split('/').Select(DockerIgnore.Compile).ToArray());
        }

        /// <summary>True when the file at <paramref name="relativePath"/> is the source or lies under a folder the source names.</summary>
        public bool Takes(string relativePath)
        {
            if (_segments is null)
            {
                return true;
            }

            string[] parts = relativePath.Split('/');
            if (parts.Length < _segments.Length)
            {
                return false;
            }

            for (int i = 0; i < _segments.Length; i++)
            {
                if (!_segments[i].IsMatch(parts[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
