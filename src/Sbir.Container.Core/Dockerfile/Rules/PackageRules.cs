using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Rules about system packages: apt-get hygiene in every stage, and no build tools in the final image.</summary>
internal static partial class PackageRules
{
    /// <summary>apt-get options that take a value as the next word.</summary>
    private static readonly HashSet<string> AptOptionsWithValue = new(StringComparer.Ordinal)
    {
        "-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release", "--default-release", "--host-architecture",
    };

    /// <summary>apk options that take a value as the next word.</summary>
    private static readonly HashSet<string> ApkOptionsWithValue = new(StringComparer.Ordinal)
    {
        "-t", "--virtual", "-X", "--repository", "--repositories-file", "-p", "--root", "--arch", "--cache-dir", "--keys-dir",
    };

    private static readonly HashSet<string> BuildToolPackages = new(StringComparer.Ordinal)
    {
        "build-essential", "build-base", "gcc", "g++", "cc", "c++", "make", "cmake", "clang", "gfortran", "python3-dev",
        "python-dev", "linux-headers", "musl-dev", "libc6-dev", "libc-dev", "autoconf", "automake", "libtool",
    };

    /// <summary>Directories that hold compilers or headers.</summary>
    private static readonly string[] ToolchainDirectories = ["/usr/include", "/usr/local/include", "/usr/lib/gcc", "/usr/libexec/gcc"];

    public static void Check(RuleContext context)
    {
        var finalChain = context.FinalChain;
        var inFinalImage = finalChain.Select(s => s.Index).ToHashSet();
        var recommendsOffAtEnd = new bool[context.Document.Stages.Count];
        foreach (var stage in context.Document.Stages)
        {
            bool listsMatter = inFinalImage.Contains(stage.Index) || context.IsParent(stage);
            bool recommendsOff = context.Parent(stage) is { } parent && recommendsOffAtEnd[parent.Index];
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "RUN")
                {
                    AptHygiene(context, stage, context.Script(instruction), listsMatter, recommendsOff || TurnsRecommendsOff(instruction));
                }

                recommendsOff |= TurnsRecommendsOff(instruction);
            }

            recommendsOffAtEnd[stage.Index] = recommendsOff;
        }

        BuildTools(context, finalChain);
    }

    /// <summary>SBC3109 to SBC3112: --no-install-recommends, -y, lists removed, apt-get rather than apt.</summary>
    private static void AptHygiene(RuleContext context, DockerfileStage stage, RunScript script, bool listsMatter, bool recommendsOff)
    {
        var run = script.Instruction;
        bool updated = false;
        ShellCommand? update = null;
        for (int c = 0; c < script.Commands.Count; c++)
        {
            var command = script.Commands[c];
            if (command.Name == "apt")
            {
                context.ReportOnce(run, string.Empty, command.Locate(command.Words[0]), DiagnosticCatalog.DockerfileAptNotAptGet);
            }

            if (command.Name is not ("apt-get" or "apt"))
            {
                continue;
            }

            var (sub, _) = command.Subcommand(AptOptionsWithValue);
            if (sub is not { } subcommand)
            {
                continue;
            }

            if (subcommand.Value == "update" && !updated)
            {
                updated = true;
                update = command;
            }

            if (subcommand.Value != "install" || command.Name != "apt-get")
            {
                continue;
            }

            SourceSpan span = command.Locate(command.Words[0], subcommand);
            if (!NoRecommends(command) && !recommendsOff)
            {
                context.ReportOnce(run, string.Empty, span, DiagnosticCatalog.DockerfileAptRecommends);
            }

            bool piped = c > 0 && script.Commands[c - 1].PipesIntoNext && script.Commands[c - 1].Name == "yes";
            if (!AssumesYes(command) && !piped)
            {
                context.ReportOnce(run, string.Empty, span, DiagnosticCatalog.DockerfileAptNoYes);
            }
        }

        if (update is not null && listsMatter && !RemovesLists(script))
        {
            context.Report(run, update.Locate(update.Words[0], update.Words[^1]), DiagnosticCatalog.DockerfileAptListsKept, update.Name, stage.DisplayName);
        }
    }

    private static bool NoRecommends(ShellCommand command)
    {
        var words = command.Words;
        for (int k = 1; k < words.Count; k++)
        {
            string w = words[k].Value;
            if (w == "--no-install-recommends")
            {
                return true;
            }

            string? option = w is "-o" or "--option" && k + 1 < words.Count ? words[k + 1].Value
                : w.StartsWith("--option=", StringComparison.Ordinal) ? w["--option=".Length..]
                : w.StartsWith("-o", StringComparison.Ordinal) && w.Length > 2 ? w[2..]
                : null;
            if (option is not null && RecommendsOff().IsMatch(option))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the instruction writes an apt configuration that turns recommends off (APT::Install-Recommends "false").</summary>
    private static bool TurnsRecommendsOff(DockerfileInstruction instruction)
    {
        if (instruction.Keyword is not ("RUN" or "COPY"))
        {
            return false;
        }

        bool Off(string text) => text.Contains("Install-Recommends", StringComparison.OrdinalIgnoreCase)
            && (text.Contains("false", StringComparison.OrdinalIgnoreCase) || text.Contains("\"0\"", StringComparison.Ordinal));
        return Off(instruction.Text) || instruction.Heredocs.Any(h => Off(h.Body));
    }

    private static bool AssumesYes(ShellCommand command)
    {
        var words = command.Words;
        for (int k = 1; k < words.Count; k++)
        {
            string w = words[k].Value;
            if (w is "--yes" or "--assume-yes" or "-qq" or "-q=2" or "--quiet=2")
            {
                return true;
            }

            if (w.Length > 1 && w[0] == '-' && w[1] != '-' && w.Skip(1).All(char.IsAsciiLetter) && (w.Contains('y') || w.Contains("qq", StringComparison.Ordinal)))
            {
                return true;
            }

            string? option = w is "-o" or "--option" && k + 1 < words.Count ? words[k + 1].Value : null;
            if (option is not null && option.StartsWith("APT::Get::Assume-Yes=", StringComparison.OrdinalIgnoreCase)
                && option.EndsWith("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>rm of /var/lib/apt/lists in the same RUN, or a cache or tmpfs mount over /var/lib/apt.</summary>
    private static bool RemovesLists(RunScript script)
        => script.Named("rm").Any(rm => rm.Words.Skip(1).Any(w => w.Value.TrimEnd('*', '/').StartsWith("/var/lib/apt/lists", StringComparison.Ordinal)))
            || script.HasCacheMount(t => t is "/var/lib/apt" || t.StartsWith("/var/lib/apt/", StringComparison.Ordinal));

    /// <summary>SBC3107 and SBC3108: no compilers or headers installed in, or copied into, the stages the final image is made of.</summary>
    private static void BuildTools(RuleContext context, List<DockerfileStage> finalChain)
    {
        if (context.FinalStage is not { } final)
        {
            return;
        }

        foreach (var stage in finalChain)
        {
            string where = stage == final
                ? $"the final stage '{final.DisplayName}'"
                : $"stage '{stage.DisplayName}', which the final stage '{final.DisplayName}' is built on";
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "RUN")
                {
                    var script = context.Script(instruction);
                    var removed = Removed(script);
                    foreach (var (command, package, group) in Installs(script))
                    {
                        string name = PackageName(package.Value);
                        if (IsBuildTool(name) && !removed.Contains(name) && (group is null || !removed.Contains(group)))
                        {
                            context.ReportOnce(instruction, name, command.Locate(package), DiagnosticCatalog.DockerfileBuildToolsInFinalStage, name, where);
                        }
                    }
                }
                else if (instruction.Keyword == "COPY" && instruction.Flag("from") is { Value: { } from })
                {
                    var (sources, _) = InstructionText.CopyArguments(instruction, context.Document.EscapeCharacter);
                    foreach (var source in sources)
                    {
                        string path = Paths.Combine("/", source.Value);
                        if (ToolchainDirectories.Any(d => Paths.IsUnder(path, d) && d != "/"))
                        {
                            context.Report(instruction, InstructionText.Locate(instruction, source), DiagnosticCatalog.DockerfileToolchainCopied, from, source.Value, final.DisplayName);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The packages a RUN installs with apt-get, apt, apk, dnf, yum or microdnf, with the apk --virtual group they belong to.</summary>
    private static IEnumerable<(ShellCommand Command, TextWord Package, string? Group)> Installs(RunScript script)
    {
        foreach (var command in script.Commands)
        {
            var (verb, options, install) = command.Name switch
            {
                "apt-get" or "apt" => ("install", AptOptionsWithValue, true),
                "apk" => ("add", ApkOptionsWithValue, true),
                "dnf" or "yum" or "microdnf" => ("install", null, true),
                _ => (string.Empty, null, false),
            };
            if (!install)
            {
                continue;
            }

            var (sub, index) = command.Subcommand(options);
            if (sub is not { } subcommand || subcommand.Value != verb)
            {
                continue;
            }

            string? group = null;
            for (int k = 1; k < command.Words.Count; k++)
            {
                if (command.Words[k].Value is "-t" or "--virtual" && command.Name == "apk" && k + 1 < command.Words.Count)
                {
                    group = command.Words[k + 1].Value;
                }
            }

            for (int k = index + 1; k < command.Words.Count; k++)
            {
                string value = command.Words[k].Value;
                if (value.StartsWith('-'))
                {
                    if (options is not null && options.Contains(value))
                    {
                        k++;
                    }

                    continue;
                }

                yield return (command, command.Words[k], group);
            }
        }
    }

    /// <summary>Packages (and apk groups) removed again in the same RUN.</summary>
    private static HashSet<string> Removed(RunScript script)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in script.Commands)
        {
            string[] verbs = command.Name switch
            {
                "apt-get" or "apt" => ["purge", "remove", "autoremove"],
                "apk" => ["del"],
                "dnf" or "yum" or "microdnf" => ["remove", "erase"],
                _ => [],
            };
            var (sub, index) = command.Subcommand(command.Name is "apt-get" or "apt" ? AptOptionsWithValue : null);
            if (sub is not { } subcommand || !verbs.Contains(subcommand.Value))
            {
                continue;
            }

            foreach (var word in command.Words.Skip(index + 1).Where(w => !w.Value.StartsWith('-')))
            {
                removed.Add(PackageName(word.Value));
            }
        }

        return removed;
    }

    /// <summary>The package name without version, release or architecture (gcc=4:12.2.0-3 is gcc, g++:arm64 is g++).</summary>
    private static string PackageName(string package)
    {
        int cut = package.IndexOfAny(['=', '<', '>', '~', ':']);
        return (cut < 0 ? package : package[..cut]).ToLowerInvariant();
    }

    private static bool IsBuildTool(string name)
        => BuildToolPackages.Contains(name) || name.EndsWith("-dev", StringComparison.Ordinal) || name.EndsWith("-devel", StringComparison.Ordinal)
            || VersionedCompiler().IsMatch(name);

    [GeneratedRegex(@"^(?:gcc|g\+\+|clang|cpp)-[0-9]+$")]
    private static partial Regex VersionedCompiler();

    [GeneratedRegex(@"^APT::Install-Recommends\s*=\s*[""']?(?:false|0|no)[""']?$", RegexOptions.IgnoreCase)]
    private static partial Regex RecommendsOff();
}
