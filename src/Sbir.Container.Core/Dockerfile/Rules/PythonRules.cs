using System.Globalization;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Rules about Python dependencies: manifests copied before the source, no pip or uv cache in the layer.</summary>
internal static partial class PythonRules
{
    public static void Check(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            ManifestsFirst(context, stage);
            PackageCache(context, stage);
        }
    }

    /// <summary>SBC3120: in a stage that installs dependencies, only manifests are copied from the context before the first install.</summary>
    private static void ManifestsFirst(RuleContext context, DockerfileStage stage)
    {
        var install = stage.Instructions.FirstOrDefault(i => i.Keyword == "RUN" && context.Script(i).Commands.Any(IsDependencyInstall));
        if (install is null)
        {
            return;
        }

        string line = install.Span.Line.ToString(CultureInfo.InvariantCulture);
        foreach (var instruction in stage.Instructions.TakeWhile(i => !ReferenceEquals(i, install)))
        {
            if (instruction.Keyword is not ("COPY" or "ADD") || instruction.Flag("from") is not null)
            {
                continue;
            }

            var (sources, _) = InstructionText.CopyArguments(instruction, context.Document.EscapeCharacter);
            var source = sources.FirstOrDefault(s => !s.Value.Contains("://", StringComparison.Ordinal) && !IsManifest(s.Value));
            if (source.Value is not null)
            {
                context.Report(instruction, InstructionText.Locate(instruction, source), DiagnosticCatalog.DockerfileSourceBeforeDependencies, source.Value, line);
            }
        }
    }

    /// <summary>
    /// True for commands that install the project's dependencies from its manifests: poetry install/sync,
    /// pip install (or pip wheel) -r or '.', uv sync, uv pip install -r or '.', uv pip sync, pipenv install, pdm install/sync.
    /// </summary>
    internal static bool IsDependencyInstall(ShellCommand command)
    {
        var words = command.Words;
        string Arg(int k) => k < words.Count ? words[k].Value : string.Empty;
        bool FromManifest(int from) => words.Skip(from).Any(w =>
            w.Value is "-r" or "--requirement" or "." or "./" || w.Value.StartsWith("--requirement=", StringComparison.Ordinal)
            || (w.Value.StartsWith("-r", StringComparison.Ordinal) && w.Value.Length > 2 && !w.Value.StartsWith("--", StringComparison.Ordinal))
            || w.Value.StartsWith(".[", StringComparison.Ordinal) || w.Value.StartsWith("./[", StringComparison.Ordinal));

        switch (command.Name)
        {
            case "poetry":
                return command.Subcommand().Word?.Value is "install" or "sync";
            case "pipenv":
                return command.Subcommand().Word?.Value is "install" or "sync";
            case "pdm":
                return command.Subcommand().Word?.Value is "install" or "sync";
            case "uv":
                return Arg(1) == "sync" || (Arg(1) == "pip" && (Arg(2) == "sync" || (Arg(2) == "install" && FromManifest(3))));
        }

        return PipSubcommand(command) is { } sub && sub.Word.Value is "install" or "wheel" && FromManifest(sub.Index + 1);
    }

    /// <summary>SBC3126: pip install and uv keep no download cache in the layer.</summary>
    private static void PackageCache(RuleContext context, DockerfileStage stage)
    {
        foreach (var (instruction, scope) in context.Walk(stage))
        {
            if (instruction.StageIndex != stage.Index || instruction.Keyword != "RUN")
            {
                continue;
            }

            var script = context.Script(instruction);
            foreach (var command in script.Commands)
            {
                var tool = CacheTool(command);
                if (tool is null)
                {
                    continue;
                }

                var (shown, option, variable, cache, last) = tool.Value;
                bool avoided = command.Words.Any(w => w.Value == option || w.Value.StartsWith(option + "=", StringComparison.Ordinal) || (option == "--no-cache" && w.Value == "-n"))
                    || command.Assignments.Any(a => a.Value.StartsWith(variable + "=", StringComparison.Ordinal))
                    || scope.HasEnv(variable)
                    || script.Commands.Any(c => c.Name == "export" && c.Words.Skip(1).Any(w => w.Value.StartsWith(variable + "=", StringComparison.Ordinal)))
                    || script.HasCacheMount(t => Paths.IsUnder(cache, t) || ShellCommand.BaseName(t).Contains(ShellCommand.BaseName(cache), StringComparison.Ordinal))
                    || script.Named("rm").Any(rm => rm.Words.Skip(1).Any(w => RemovesCache(w.Value, cache)));
                if (!avoided)
                {
                    context.ReportOnce(instruction, shown, command.Locate(command.Words[0], last), DiagnosticCatalog.DockerfilePipCache, shown, option, variable, cache);
                }
            }
        }
    }

    /// <summary>True when an rm argument removes the cache directory (/root/.cache, ~/.cache/pip, $HOME/.cache/uv, ...).</summary>
    private static bool RemovesCache(string argument, string cache)
    {
        string path = argument.TrimEnd('*').TrimEnd('/');
        return path.EndsWith("/.cache", StringComparison.Ordinal) || path.EndsWith(".cache/" + ShellCommand.BaseName(cache), StringComparison.Ordinal);
    }

    /// <summary>For pip install and uv installs: how to show the command, the option, environment variable and cache directory that avoid the cache, and the last word of the command's name.</summary>
    private static (string Shown, string Option, string Variable, string Cache, TextWord Last)? CacheTool(ShellCommand command)
    {
        var words = command.Words;
        if (command.Name == "uv" && words.Count >= 2)
        {
            if (words[1].Value == "sync")
            {
                return ("uv sync", "--no-cache", "UV_NO_CACHE", "/root/.cache/uv", words[1]);
            }

            if (words[1].Value == "pip" && words.Count >= 3 && words[2].Value is "install" or "sync")
            {
                return ("uv pip " + words[2].Value, "--no-cache", "UV_NO_CACHE", "/root/.cache/uv", words[2]);
            }

            return null;
        }

        if (PipSubcommand(command) is { } sub && sub.Word.Value == "install")
        {
            return ("pip install", "--no-cache-dir", "PIP_NO_CACHE_DIR", "/root/.cache/pip", sub.Word);
        }

        return null;
    }

    /// <summary>The subcommand of pip, pip3, pip3.11 or python -m pip; pipx and pipenv are other tools.</summary>
    private static (TextWord Word, int Index)? PipSubcommand(ShellCommand command)
    {
        int from;
        if (PipName().IsMatch(command.Name))
        {
            from = 1;
        }
        else if (PythonName().IsMatch(command.Name) && command.Words.Count > 2 && command.Words[1].Value == "-m" && command.Words[2].Value == "pip")
        {
            from = 3;
        }
        else
        {
            return null;
        }

        var (word, index) = command.Subcommand(null, from);
        return word is { } w ? (w, index) : null;
    }

    /// <summary>Dependency manifests: what may be copied before the dependencies are installed without defeating the cache.</summary>
    internal static bool IsManifest(string source)
    {
        string name = ShellCommand.BaseName(source.TrimEnd('/')).TrimEnd('*').ToLowerInvariant();
        return name is "pyproject.toml" or "poetry.lock" or "poetry.toml" or "uv.lock" or "setup.py" or "setup.cfg" or "pipfile" or "pipfile.lock"
                or "pdm.lock" or ".python-version" or "manifest.in" or "requirements" or "constraints"
            || name.StartsWith("readme", StringComparison.Ordinal)
            || name.StartsWith("license", StringComparison.Ordinal)
            || ((name.StartsWith("requirements", StringComparison.Ordinal) || name.StartsWith("constraints", StringComparison.Ordinal))
                && (name.EndsWith(".txt", StringComparison.Ordinal) || name.EndsWith(".in", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"^pip[0-9.]*$")]
    private static partial Regex PipName();

    [GeneratedRegex(@"^python[0-9.]*$")]
    private static partial Regex PythonName();
}
