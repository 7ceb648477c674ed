using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>A finding of a rule and the instruction whose pragmas can suppress it.</summary>
internal sealed record RuleFinding(Diagnostic Diagnostic, DockerfileInstruction Anchor);

/// <summary>
/// What the rules share: the document, the options, the values of global ARGs, which stage builds on
/// which, the final stage, the shell commands of each RUN (read once), and the findings so far.
/// </summary>
internal sealed class RuleContext
{
    private readonly DockerfileStage?[] _parents;
    private readonly bool[] _isParent;
    private readonly StageScope?[] _endScopes;
    private readonly Dictionary<DockerfileInstruction, RunScript> _scripts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DockerfileInstruction, HashSet<string>> _reported = new(ReferenceEqualityComparer.Instance);

    public RuleContext(DockerfileDocument document, DockerfileRuleOptions options)
    {
        Document = document;
        Options = options;
        GlobalValues = DockerfileArgs.GlobalValues(document, options.BuildArgs ?? new Dictionary<string, string>());
        var stages = document.Stages;
        _parents = new DockerfileStage?[stages.Count];
        _isParent = new bool[stages.Count];
        _endScopes = new StageScope?[stages.Count];
        for (int s = 0; s < stages.Count; s++)
        {
            string image = DockerfileArgs.Expand(stages[s].BaseImage, GlobalValues);
            for (int earlier = s - 1; earlier >= 0; earlier--)
            {
                if (stages[earlier].Name is { } name && name.Equals(image, StringComparison.OrdinalIgnoreCase))
                {
                    _parents[s] = stages[earlier];
                    _isParent[earlier] = true;
                    break;
                }
            }
        }

        FinalStage = (options.RuntimeStage is { Length: > 0 } runtime ? document.Stage(runtime) : null) ?? document.FinalStage;
    }

    public DockerfileDocument Document { get; }

    public DockerfileRuleOptions Options { get; }

    public string? File => Document.Path;

    /// <summary>Values of the ARGs declared before the first FROM: defaults expanded in order, overridden by build arguments.</summary>
    public IReadOnlyDictionary<string, string> GlobalValues { get; }

    /// <summary>The stage the product is built from, or null when there are no stages.</summary>
    public DockerfileStage? FinalStage { get; }

    public List<RuleFinding> Findings { get; } = [];

    /// <summary>The earlier stage <paramref name="stage"/> is built FROM, or null for an image.</summary>
    public DockerfileStage? Parent(DockerfileStage stage) => stage.Index < _parents.Length ? _parents[stage.Index] : null;

    /// <summary>True when a later stage is built FROM <paramref name="stage"/>.</summary>
    public bool IsParent(DockerfileStage stage) => stage.Index < _isParent.Length && _isParent[stage.Index];

    /// <summary><paramref name="stage"/> and the stages it builds on, the first ancestor first.</summary>
    public List<DockerfileStage> Chain(DockerfileStage stage)
    {
        var chain = new List<DockerfileStage>();
        for (DockerfileStage? s = stage; s is not null; s = Parent(s))
        {
            chain.Add(s);
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>The stages whose files end up in the final image: the final stage and its ancestors.</summary>
    public List<DockerfileStage> FinalChain => FinalStage is null ? [] : Chain(FinalStage);

    /// <summary>The shell commands of a RUN, read once.</summary>
    public RunScript Script(DockerfileInstruction run)
    {
        if (!_scripts.TryGetValue(run, out var script))
        {
            script = RunScript.Of(run);
            _scripts[run] = script;
        }

        return script;
    }

    /// <summary>Records a finding anchored at <paramref name="anchor"/>.</summary>
    public void Report(DockerfileInstruction anchor, SourceSpan span, DiagnosticDescriptor descriptor, params object?[] args)
        => Findings.Add(new RuleFinding(descriptor.Create(File, span, args), anchor));

    /// <summary>
    /// Records a finding unless one with the same code and <paramref name="key"/> is already recorded for the
    /// instruction: one RUN that calls apt-get install three times without -y gets one warning, as in hadolint.
    /// </summary>
    public void ReportOnce(DockerfileInstruction anchor, string key, SourceSpan span, DiagnosticDescriptor descriptor, params object?[] args)
    {
        if (!_reported.TryGetValue(anchor, out var keys))
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            _reported[anchor] = keys;
        }

        if (keys.Add(descriptor.Code + " " + key))
        {
            Report(anchor, span, descriptor, args);
        }
    }

    /// <summary>
    /// Walks the instructions of <paramref name="stage"/> with the scope (ARG and ENV values, WORKDIR,
    /// copied paths) as it is just before each; the scope starts from what the stage it builds on left.
    /// </summary>
    public IEnumerable<(DockerfileInstruction Instruction, StageScope Scope)> Walk(DockerfileStage stage)
    {
        var parent = Parent(stage);
        var scope = parent is null ? new StageScope(this) : EndScope(parent).Clone();
        scope.EnterStage();
        foreach (var instruction in stage.Instructions)
        {
            yield return (instruction, scope);
            scope.Apply(instruction);
        }
    }

    /// <summary>Walks <paramref name="stage"/> and the stages it builds on, the first ancestor first.</summary>
    public IEnumerable<(DockerfileInstruction Instruction, StageScope Scope)> WalkChain(DockerfileStage stage)
        => Chain(stage).SelectMany(Walk);

    /// <summary>The scope at the end of a stage, computed once per stage (ancestors first, without recursion).</summary>
    private StageScope EndScope(DockerfileStage stage)
    {
        var pending = new Stack<DockerfileStage>();
        for (DockerfileStage? s = stage; s is not null && _endScopes[s.Index] is null; s = Parent(s))
        {
            pending.Push(s);
        }

        while (pending.Count > 0)
        {
            var s = pending.Pop();
            var parent = Parent(s);
            var scope = parent is null ? new StageScope(this) : _endScopes[parent.Index]!.Clone();
            scope.EnterStage();
            foreach (var instruction in s.Instructions)
            {
                scope.Apply(instruction);
            }

            _endScopes[s.Index] = scope;
        }

        return _endScopes[stage.Index]!;
    }
}

/// <summary>The state of a stage at one instruction, as far as the rules need it.</summary>
internal sealed class StageScope(RuleContext context)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _argNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _envNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _copied = new(StringComparer.Ordinal);
    private readonly HashSet<string> _copiedAndParents = new(StringComparer.Ordinal);

    /// <summary>True when ENV set <paramref name="name"/> in this stage or a stage it builds on.</summary>
    public bool HasEnv(string name) => _envNames.Contains(name);

    /// <summary>The working directory (absolute when known).</summary>
    public string Workdir { get; private set; } = "/";

    /// <summary>True when COPY or ADD wrote to <paramref name="path"/>, inside it, or to a directory that contains it.</summary>
    public bool OverlapsCopied(string path)
    {
        if (_copiedAndParents.Contains(path))
        {
            return true;
        }

        for (string? p = path; p is not null; p = Paths.Parent(p))
        {
            if (_copied.Contains(p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy, for a stage that builds on this one.</summary>
    public StageScope Clone()
    {
        var clone = new StageScope(context) { Workdir = Workdir };
        foreach (var (name, value) in _values)
        {
            clone._values[name] = value;
        }

        clone._argNames.UnionWith(_argNames);
        clone._envNames.UnionWith(_envNames);
        clone._copied.UnionWith(_copied);
        clone._copiedAndParents.UnionWith(_copiedAndParents);
        return clone;
    }

    /// <summary>Called at each FROM: ARGs end with their stage, ENV, WORKDIR and files carry on.</summary>
    public void EnterStage()
    {
        foreach (string name in _argNames)
        {
            if (!_envNames.Contains(name))
            {
                _values.Remove(name);
            }
        }

        _argNames.Clear();
    }

    /// <summary>Expands variables with the values visible here; null when a name has no value.</summary>
    public string? TryExpand(string text)
        => Variables.FirstUnresolved(text, _values) is null ? DockerfileArgs.Expand(text, _values) : null;

    /// <summary>Resolves a path against the working directory; null when it uses a variable without a value.</summary>
    public string? Resolve(string path)
    {
        string? expanded = TryExpand(path);
        return expanded is null ? null : Paths.Combine(Workdir, expanded);
    }

    /// <summary>Applies the effect of one instruction.</summary>
    public void Apply(DockerfileInstruction instruction)
    {
        char escape = context.Document.EscapeCharacter;
        switch (instruction.Keyword)
        {
            case "ARG":
                foreach (var a in InstructionText.Assignments(instruction, escape))
                {
                    string? value = context.Options.BuildArgs is { } b && b.TryGetValue(a.Name, out string? given) ? given
                        : a.Value is not null ? DockerfileArgs.Expand(a.Value, _values)
                        : context.GlobalValues.TryGetValue(a.Name, out string? global) ? global : null;
                    if (value is not null && !_envNames.Contains(a.Name))
                    {
                        _values[a.Name] = value;
                        _argNames.Add(a.Name);
                    }
                }

                break;
            case "ENV":
                foreach (var a in InstructionText.Assignments(instruction, escape))
                {
                    _values[a.Name] = DockerfileArgs.Expand(a.Value ?? string.Empty, _values);
                    _envNames.Add(a.Name);
                }

                break;
            case "WORKDIR":
                if (Resolve(Unquote(instruction.Arguments.Trim())) is { } workdir)
                {
                    Workdir = workdir;
                }

                break;
            case "COPY" or "ADD":
                var (_, destination) = InstructionText.CopyArguments(instruction, escape);
                if (destination is { } d && Resolve(d.Value) is { } resolved && _copied.Add(resolved))
                {
                    for (string? p = resolved; p is not null && _copiedAndParents.Add(p); p = Paths.Parent(p))
                    {
                    }
                }

                break;
        }
    }

    private static string Unquote(string text)
        => text.Length >= 2 && (text[0] == '"' && text[^1] == '"' || text[0] == '\'' && text[^1] == '\'') ? text[1..^1] : text;
}

/// <summary>Absolute POSIX paths, enough for the rules.</summary>
internal static class Paths
{
    /// <summary>Joins a relative path to a directory and normalises '.', '..' and repeated or trailing slashes.</summary>
    public static string Combine(string directory, string path)
    {
        string joined = path.StartsWith('/') ? path : directory.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (string part in joined.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>The directory that contains <paramref name="path"/>, or null for '/'.</summary>
    public static string? Parent(string path)
    {
        if (path == "/" || path.Length == 0)
        {
            return null;
        }

        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it.</summary>
    public static bool IsUnder(string path, string directory)
        => directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
