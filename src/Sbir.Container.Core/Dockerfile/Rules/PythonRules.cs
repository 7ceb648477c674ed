using System.Globalization;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;
using Sbir.Container.Project;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Rules about Python dependencies: manifests copied before the source, no pip or uv cache in the layer, a Poetry that can read the lock.</summary>
internal static partial class PythonRules
{
    public static void Check(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            ManifestsFirst(context, stage);
            PackageCache(context, stage);
            PoetryPin(context, stage);
        }
    }

    /// <summary>
    /// SBC3128/SBC3129: a stage that pins (or installs at most) a Poetry older than the one that wrote
    /// poetry.lock. None of the linters we compare with (hadolint, docker init) reads the lock file.
    /// The finding is at the pin: the ARG or ENV that holds the version when the command uses one, else the word.
    /// </summary>
    private static void PoetryPin(RuleContext context, DockerfileStage stage)
    {
        if (context.Options.PoetryLock is not { } lockFile || (lockFile.Writer ?? lockFile.FormatWriter) is not { } needed)
        {
            return;
        }

        foreach (var (instruction, scope) in context.Walk(stage))
        {
            if (instruction.StageIndex != stage.Index || instruction.Keyword != "RUN")
            {
                continue;
            }

            var script = context.Script(instruction);
            foreach (var command in script.Commands)
            {
                foreach (var (word, requirement, shown) in PoetryRequirements(command, script))
                {
                    string? expanded = scope.TryExpand(requirement);
                    if (expanded is null || PoetryCeiling(expanded) is not { } pin)
                    {
                        continue;
                    }

                    bool older = pin.Strict ? pin.Version <= needed : pin.Version < needed;
                    if (!older)
                    {
                        continue;
                    }

                    string version = pin.Strict ? "below " + Short(pin.Version) : Short(pin.Version);
                    var (anchor, span) = PinLocation(context, instruction, command, word, requirement);
                    string writer = lockFile.Writer is { } w ? $" (written by Poetry {Short(w)})" : string.Empty;
                    var format = lockFile.FormatWriter;
                    if (format is not null && (pin.Strict ? pin.Version <= format : pin.Version < format))
                    {
                        context.ReportOnce(anchor, shown, span, DiagnosticCatalog.DockerfilePoetryOlderThanLockFormat,
                            shown, version, lockFile.LockVersion, Short(format), writer, Short(needed), LockName(context, lockFile));
                    }
                    else if (lockFile.Writer is { } lockWriter)
                    {
                        context.ReportOnce(anchor, shown, span, DiagnosticCatalog.DockerfilePoetryOlderThanLockWriter,
                            shown, version, Short(lockWriter), lockFile.LockVersion ?? "?", LockName(context, lockFile));
                    }
                }
            }
        }
    }

    /// <summary>The lock's path as the message shows it: relative to the Dockerfile's folder when it is under it.</summary>
    private static string LockName(RuleContext context, PoetryLock lockFile)
    {
        string? folder = context.File is { } f ? Path.GetDirectoryName(Path.GetFullPath(f)) : null;
        return folder is null ? lockFile.Path : Path.GetRelativePath(folder, lockFile.Path);
    }

    private static string Short(Version v) => v.Build > 0 ? v.ToString(3) : v.ToString(2);

    /// <summary>
    /// The Poetry requirements a command installs: 'poetry==X' given to pip, pipx, uv pip or uv tool install,
    /// and the official installer (install.python-poetry.org piped into python) with --version X or POETRY_VERSION.
    /// Each with the word it came from, the requirement text (variables not yet expanded) and how to show the command.
    /// </summary>
    private static IEnumerable<(TextWord Word, string Requirement, string Shown)> PoetryRequirements(ShellCommand command, RunScript script)
    {
        var words = command.Words;
        int from = -1;
        string shown = string.Empty;
        if (PipSubcommand(command) is { } sub && sub.Word.Value == "install")
        {
            (from, shown) = (sub.Index + 1, "pip install");
        }
        else if (command.Name == "pipx" && words.Count > 1 && words[1].Value == "install")
        {
            (from, shown) = (2, "pipx install");
        }
        else if (command.Name == "uv" && words.Count > 2 && ((words[1].Value == "pip" && words[2].Value == "install") || (words[1].Value == "tool" && words[2].Value == "install")))
        {
            (from, shown) = (3, $"uv {words[1].Value} install");
        }

        if (from > 0)
        {
            foreach (var word in words.Skip(from).Where(w => PoetryRequirement().IsMatch(w.Value)))
            {
                yield return (word, word.Value, shown + " " + word.Value);
            }

            yield break;
        }

        // curl -sSL https://install.python-poetry.org | python3 - --version X (or POETRY_VERSION=X).
        if (PythonName().IsMatch(command.Name) && words.Skip(1).Any(w => w.Value == "-")
            && script.Commands.Any(c => c.Words.Any(w => w.Value.Contains("install.python-poetry.org", StringComparison.Ordinal))))
        {
            for (int k = 1; k < words.Count; k++)
            {
                if (words[k].Value == "--version" && k + 1 < words.Count)
                {
                    yield return (words[k + 1], "poetry==" + words[k + 1].Value, "the Poetry installer --version " + words[k + 1].Value);
                    yield break;
                }

                if (words[k].Value.StartsWith("--version=", StringComparison.Ordinal))
                {
                    yield return (words[k], "poetry==" + words[k].Value["--version=".Length..], "the Poetry installer " + words[k].Value);
                    yield break;
                }
            }

            var assignment = command.Assignments.LastOrDefault(a => a.Value.StartsWith("POETRY_VERSION=", StringComparison.Ordinal));
            string requirement = assignment.Value is { } a ? "poetry==" + a["POETRY_VERSION=".Length..] : "poetry==${POETRY_VERSION}";
            yield return (assignment.Value is null ? words[0] : assignment, requirement, "the Poetry installer with POETRY_VERSION");
        }
    }

    /// <summary>
    /// The newest Poetry a requirement allows, when it has an upper bound: 'poetry==1.8.5' (1.8.5), 'poetry&lt;=1.8'
    /// (1.8), 'poetry&lt;2' (strictly below 2.0), 'poetry~=1.8.5' (strictly below 1.9); null otherwise.
    /// </summary>
    private static (Version Version, bool Strict)? PoetryCeiling(string requirement)
    {
        Match m = PoetryRequirement().Match(requirement);
        if (!m.Success || PoetryLock.ParseVersion(m.Groups["v"].Value) is not { } v)
        {
            return null;
        }

        string op = m.Groups["op"].Value;
        if (op == "~=")
        {
            // PEP 440 compatible release: ~=1.8.5 is >=1.8.5,==1.8.*; ~=1.8 is >=1.8,==1.*.
            int parts = m.Groups["v"].Value.Split('.').Length;
            return (parts >= 3 ? new Version(v.Major, v.Minor + 1, 0) : new Version(v.Major + 1, 0, 0), true);
        }

        return (v, op == "<");
    }

    /// <summary>Where to report a pin: at the ARG or ENV that holds the version when the requirement uses a variable, else at the word.</summary>
    private static (DockerfileInstruction Anchor, SourceSpan Span) PinLocation(RuleContext context, DockerfileInstruction run, ShellCommand command, TextWord word, string requirement)
    {
        Match variable = VariableReference().Match(requirement);
        if (variable.Success)
        {
            string name = variable.Groups["name"].Value;
            if (context.Options.BuildArgs.ContainsKey(name))
            {
                return (run, command.Locate(word));
            }

            var chain = context.Chain(context.Document.Stages[run.StageIndex]).SelectMany(s => s.Instructions).TakeWhile(i => !ReferenceEquals(i, run));
            var definition = context.Document.GlobalArgs.Concat(chain)
                .Where(i => i.Keyword is "ARG" or "ENV")
                .Select(i => (Instruction: i, Assignment: InstructionText.Assignments(i, context.Document.EscapeCharacter).LastOrDefault(a => a.Name == name && a.Value is not null)))
                .LastOrDefault(d => d.Assignment.Name is not null);
            if (definition.Instruction is { } defining)
            {
                return (defining, InstructionText.Locate(defining, definition.Assignment.NameWord));
            }
        }

        return (run, command.Locate(word));
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

    [GeneratedRegex(@"^poetry(\[[^\]]*\])?\s*(?<op>===|==|<=|<|~=)\s*(?<v>[^,;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex PoetryRequirement();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^pip[0-9.]*$")]
    private static partial Regex PipName();

    [GeneratedRegex(@"^python[0-9.]*$")]
    private static partial Regex PythonName();
}
