using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Rules about what RUN and WORKDIR put in layers: recursive chown, sudo, relative WORKDIR, unverified downloads.</summary>
internal static partial class LayerRules
{
    private static readonly HashSet<string> Verifiers = new(StringComparer.Ordinal)
    {
        "sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "shasum", "md5sum", "b2sum", "gpgv", "cosign", "minisign", "signify", "slsa-verifier",
    };

    private static readonly string[] BinDirectories = ["/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"];

    public static void Check(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            foreach (var (instruction, scope) in context.Walk(stage))
            {
                if (instruction.StageIndex != stage.Index)
                {
                    continue;
                }

                if (instruction.Keyword == "WORKDIR")
                {
                    RelativeWorkdir(context, instruction);
                }
                else if (instruction.Keyword == "RUN")
                {
                    var script = context.Script(instruction);
                    Sudo(context, script);
                    RecursiveChown(context, script, scope);
                    UnverifiedDownloads(context, script);
                }
            }
        }
    }

    /// <summary>SBC3124: no sudo.</summary>
    private static void Sudo(RuleContext context, RunScript script)
    {
        foreach (var command in script.Commands)
        {
            if (command.Sudo is { } sudo)
            {
                context.ReportOnce(script.Instruction, string.Empty, command.Locate(sudo), DiagnosticCatalog.DockerfileSudo);
            }
        }
    }

    /// <summary>SBC3125: WORKDIR is absolute (variables are taken to expand to absolute paths).</summary>
    private static void RelativeWorkdir(RuleContext context, DockerfileInstruction workdir)
    {
        string path = workdir.Arguments.Trim();
        if (path.Length >= 2 && (path[0] == '"' && path[^1] == '"' || path[0] == '\'' && path[^1] == '\''))
        {
            path = path[1..^1];
        }

        if (path.Length == 0 || path[0] is '/' or '$' or '\\' || WindowsPath().IsMatch(path))
        {
            return;
        }

        context.Report(workdir, StageRules.ArgumentsSpan(workdir), DiagnosticCatalog.DockerfileRelativeWorkdir, path);
    }

    /// <summary>SBC3123: chown -R of a path that COPY or ADD filled earlier (in this stage or a stage it builds on).</summary>
    private static void RecursiveChown(RuleContext context, RunScript script, StageScope scope)
    {
        foreach (var command in script.Commands)
        {
            if (command.Name != "chown" || !command.Words.Skip(1).Any(w => IsRecursive(w.Value)))
            {
                continue;
            }

            var operands = command.Words.Skip(1).Where(w => !w.Value.StartsWith('-')).ToList();
            bool reference = command.Words.Any(w => w.Value.StartsWith("--reference", StringComparison.Ordinal));
            foreach (var target in operands.Skip(reference ? 0 : 1))
            {
                string trimmed = target.Value.EndsWith("/*", StringComparison.Ordinal) ? target.Value[..^2] : target.Value;
                if (scope.Resolve(trimmed.Length == 0 ? "/" : trimmed) is { } path && scope.OverlapsCopied(path))
                {
                    context.Report(script.Instruction, command.Span, DiagnosticCatalog.DockerfileRecursiveChown, target.Value);
                    break;
                }
            }
        }
    }

    private static bool IsRecursive(string option)
        => option == "--recursive" || (option.Length > 1 && option[0] == '-' && option[1] != '-' && option.Contains('R'));

    /// <summary>SBC3127: curl or wget fetching an executable (into a bin directory, made executable, or piped into a shell) with no checksum or signature check in the RUN.</summary>
    private static void UnverifiedDownloads(RuleContext context, RunScript script)
    {
        var commands = script.Commands;
        if (commands.Any(c => Verifiers.Contains(c.Name) || (c.Name is "gpg" or "gpg2" && c.Has("--verify"))))
        {
            return;
        }

        var executables = commands.Where(c => c.Name == "chmod" && c.Words.Count > 2 && MakesExecutable(c.Words[1].Value))
            .SelectMany(c => c.Words.Skip(2).Select(w => w.Value))
            .ToHashSet(StringComparer.Ordinal);
        for (int k = 0; k < commands.Count; k++)
        {
            var command = commands[k];
            if (command.Name is not ("curl" or "wget"))
            {
                continue;
            }

            string? output = OutputFile(command);
            string? what = null;
            if (output is not null && output != "-")
            {
                if (BinDirectories.Any(d => Paths.IsUnder(output, d)) || output.Contains("/bin/", StringComparison.Ordinal) || executables.Contains(output))
                {
                    what = "'" + output + "'";
                }
            }
            else if (command.PipesIntoNext && k + 1 < commands.Count && commands[k + 1].IsShell)
            {
                what = "piped into " + commands[k + 1].Name;
            }

            if (what is not null)
            {
                context.Report(script.Instruction, command.Span, DiagnosticCatalog.DockerfileUnverifiedDownload, command.Name, what);
            }
        }
    }

    /// <summary>The file curl or wget writes (-o, --output, -O for wget, --output-document, or a &gt; redirection), or null for standard output.</summary>
    private static string? OutputFile(ShellCommand command)
    {
        var words = command.Words;
        char shortOption = command.Name == "curl" ? 'o' : 'O';
        string longOption = command.Name == "curl" ? "--output" : "--output-document";
        for (int k = 1; k < words.Count; k++)
        {
            string w = words[k].Value;
            if (w == longOption && k + 1 < words.Count)
            {
                return words[k + 1].Value;
            }

            if (w.StartsWith(longOption + "=", StringComparison.Ordinal))
            {
                return w[(longOption.Length + 1)..];
            }

            if (w.Length > 1 && w[0] == '-' && w[1] != '-')
            {
                int at = w.IndexOf(shortOption, 1);
                if (at > 0 && w[1..at].All(char.IsAsciiLetter))
                {
                    // -o file, -fsSLo file, or -ofile.
                    return at == w.Length - 1 ? (k + 1 < words.Count ? words[k + 1].Value : null) : w[(at + 1)..];
                }
            }
        }

        return command.Redirects.LastOrDefault(r => r.Operator.TrimStart('1') is ">" or ">>" or ">|").Target.Value;
    }

    private static bool MakesExecutable(string mode)
        => mode.Contains('x') || (mode.Length > 0 && mode.All(char.IsAsciiDigit) && mode.Any(d => (d - '0') % 2 == 1));

    [GeneratedRegex(@"^[A-Za-z]:[\\/]")]
    private static partial Regex WindowsPath();
}
