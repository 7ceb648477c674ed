using System.Globalization;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;
using Sbir.Container.Text;
using T = Sbir.Container.Diagnostics.DiagnosticCatalog.SecretTexts;

namespace Sbir.Container.Secrets;

/// <summary>
/// The state of one file's scan: the text, what kind of file it is, and the findings so far as candidates with
/// absolute offsets. The format scanners call the rule methods; <see cref="Finish"/> resolves overlaps (one finding
/// per value), applies the example-file policy and the inline suppressions, and formats the diagnostics.
/// </summary>
internal sealed partial class ScanContext
{
    private readonly HashSet<string> _secretVariables;
    private readonly List<SecretCandidate> _candidates = [];
    private readonly List<Diagnostic> _failures = [];
    private LineMap? _lines;

    public ScanContext(string text, string? path, SecretFileKind kind, bool isCompose, bool isExample, IEnumerable<string> secretVariables, string? copiedInto = null)
    {
        CopiedInto = copiedInto;
        Text = text;
        Path = path;
        Kind = kind;
        IsCompose = isCompose;
        IsExample = isExample;
        _secretVariables = new HashSet<string>(secretVariables.Where(v => !string.IsNullOrEmpty(v)), StringComparer.OrdinalIgnoreCase);
    }

    public string Text { get; }

    public string? Path { get; }

    public SecretFileKind Kind { get; }

    /// <summary>A compose file: <c>$$</c> escapes and host-side interpolation apply.</summary>
    public bool IsCompose { get; }

    public bool IsExample { get; }

    /// <summary>The instruction that copies this file into the image, or null: every finding then says so.</summary>
    public string? CopiedInto { get; }

    private readonly HashSet<int> _commandLines = [];

    /// <summary>Marks the lines of [start, end) as a compose command (healthcheck.test, command, entrypoint).</summary>
    public void MarkCommand(int start, int end)
    {
        int last = LineOf(Math.Max(start, end - 1));
        for (int line = LineOf(start); line <= last; line++)
        {
            _commandLines.Add(line);
        }
    }

    /// <summary>True for a line inside a compose command.</summary>
    public bool IsCommandLine(int line) => _commandLines.Contains(line);

    /// <summary>The file's line index (the SDK's one <see cref="LineMap"/>).</summary>
    public LineMap Lines => _lines ??= new LineMap(Text);

    private readonly Dictionary<string, bool> _secretNameCache = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> looks secret or the environment contract says it is (remembered per name: keys repeat).</summary>
    public bool IsSecretName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (!_secretNameCache.TryGetValue(name, out bool secret))
        {
            secret = SecretNames.LooksSecret(name) || _secretVariables.Contains(name);
            if (_secretNameCache.Count < 4096)
            {
                _secretNameCache[name] = secret;
            }
        }

        return secret;
    }

    /// <summary>The file as a source: offsets are file offsets.</summary>
    public ScanSource File => _file ??= ScanSource.File(Text);

    private ScanSource? _file;

    /// <summary>Rule 1 (SBC2001) on the file's own text in [start, end) (quotes already removed).</summary>
    public void Assignment(string key, int start, int end, ValueSite site, bool dollarIsLiteral = false, bool listForm = false, string? parent = null)
        => Assignment(File, key, start, end, site, dollarIsLiteral, listForm, parent);

    /// <summary>
    /// Rule 1 (SBC2001): <paramref name="key"/> assigned [start, end) of <paramref name="source"/> (quotes already
    /// removed). In a compose file a '$$' is compose's escape of a literal '$' (abc$$def is the literal abc$def).
    /// </summary>
    public void Assignment(ScanSource source, string key, int start, int end, ValueSite site, bool dollarIsLiteral = false, bool listForm = false, string? parent = null, string? decoded = null)
    {
        if (!IsSecretName(key))
        {
            return;
        }

        string text = source.Text;
        Trim(text, ref start, ref end);
        if (end <= start)
        {
            return;
        }

        string prefix = string.Empty;
        if (SecretNames.IsAuthPair(key))
        {
            if (!SecretValues.TrySplitAuth(text[start..end], out int passwordStart, out int passwordEnd, out prefix))
            {
                return;
            }

            end = start + passwordEnd;
            start += passwordStart;
        }

        string value = text[start..end];
        var kind = SecretValues.Classify(value, dollarIsLiteral, composeEscapes: IsCompose && site != ValueSite.Command);
        if (kind.Kind == ValueKind.LiteralDefault && !IsSecretName(kind.Variable))
        {
            // NEO4J_PASSWORD: ${PW:-hunter2}: the default is the key's literal value (rule 2 covers secret-named variables).
            end = start + kind.DefaultEnd;
            start += kind.DefaultStart;
            value = text[start..end];
        }
        else if (kind.Kind != ValueKind.Literal)
        {
            return;
        }

        string variable = SecretNames.VariableFor(key, parent);
        string fix = Fix(site, key, variable, prefix, listForm);
        string what = prefix.Length > 0 ? "password" : "value";
        string where = site == ValueSite.Yaml && IsCompose ? T.InComposeFile : Where(site);
        var (fileStart, fileEnd) = source.FileSpan(start, end);
        Add(new SecretCandidate(SecretRule.Hardcoded, fileStart, fileEnd, value, [key, what, value.Length, where, fix])
        {
            Key = key,
            ValuePrefix = prefix,
            AlternateValue = IsCompose && value.Contains("$$", StringComparison.Ordinal) ? value.Replace("$$", "$", StringComparison.Ordinal)
                : decoded is not null && decoded != value && !SecretNames.IsAuthPair(key) ? decoded.Trim() : null,
        });
    }

    /// <summary>Rule 2 (SBC2002) on the file's own text.</summary>
    public void LiteralDefault(string name, string op, string argument, int argumentStart, bool commandContext)
        => LiteralDefault(File, name, op, argument, argumentStart, commandContext);

    /// <summary>Rule 2 (SBC2002): the default <paramref name="argument"/> of ${name op argument}, starting at <paramref name="argumentStart"/> of <paramref name="source"/>.</summary>
    public void LiteralDefault(ScanSource source, string name, string op, string argument, int argumentStart, bool commandContext)
    {
        if (string.IsNullOrEmpty(argument) || !IsSecretName(name))
        {
            return;
        }

        string text = source.Text;
        int start = argumentStart;
        int end = argumentStart + argument.Length;
        string prefix = string.Empty;
        if (SecretNames.IsAuthPair(name))
        {
            if (!SecretValues.TrySplitAuth(argument, out int passwordStart, out int passwordEnd, out prefix))
            {
                return;
            }

            end = argumentStart + passwordEnd;
            start = argumentStart + passwordStart;
        }

        Trim(text, ref start, ref end);
        if (end <= start || end > text.Length)
        {
            return;
        }

        string value = text[start..end];
        if (SecretValues.Classify(value).Kind != ValueKind.Literal)
        {
            return;
        }

        string variable = SecretNames.IsAuthPair(name) ? SecretNames.VariableFor(name) : name;
        string fix = Kind switch
        {
            _ when IsCompose && commandContext => Format(T.ContainerVariable, variable, prefix),
            SecretFileKind.Dockerfile => Format(T.DockerfileDefault, variable, prefix, variable.ToLowerInvariant()),
            SecretFileKind.Shell => Format(T.ShellRequiredVariable, variable, prefix),
            _ => Format(T.RequiredVariable, variable, prefix),
        };
        string shown = "${" + name + op + "...}";
        var (fileStart, fileEnd) = source.FileSpan(start, end);
        Add(new SecretCandidate(SecretRule.LiteralDefault, fileStart, fileEnd, value, [name, value.Length, shown, fix]));
    }

    /// <summary>Rule 3 (SBC2003): a URL's password in [start, end) of the file.</summary>
    public void UrlPassword(string scheme, string host, int start, int end)
    {
        string value = Text[start..end];
        string variable = VariableForScheme(scheme);
        string shownHost = SecretValues.IsPlainName(host.Replace(":", string.Empty, StringComparison.Ordinal)) ? host : "<host>";
        string fix = Format(T.UrlWithVariable, scheme, shownHost, variable);
        string? decoded = null;
        try
        {
            decoded = Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
        }

        Add(new SecretCandidate(SecretRule.UrlCredentials, start, end, value, [scheme, shownHost, value.Length, fix])
        {
            AlternateValue = decoded != value ? decoded : null,
        });
    }

    /// <summary>
    /// Rule 4 (SBC2004) and SBC2007: the value of a password option in [start, end) of <paramref name="source"/> (quotes
    /// removed). <paramref name="fix"/> is what to write instead, given the variable to use.
    /// </summary>
    public void CommandPassword(ScanSource source, string program, string option, int start, int end, bool commandContext, bool dollarIsLiteral, string variable, Func<string, string> fix)
    {
        string text = source.Text;
        Trim(text, ref start, ref end);
        if (end <= start)
        {
            return;
        }

        string value = text[start..end];
        var kind = SecretValues.Classify(value, dollarIsLiteral);
        switch (kind.Kind)
        {
            case ValueKind.Literal:
                var (fileStart, fileEnd) = source.FileSpan(start, end);
                Add(new SecretCandidate(SecretRule.CommandPassword, fileStart, fileEnd, value, [program, value.Length, option, fix(variable)]));
                break;
            case ValueKind.LiteralDefault:
                int defaultStart = start + kind.DefaultStart;
                int defaultEnd = start + kind.DefaultEnd;
                string defaultValue = text[defaultStart..defaultEnd];
                var (defaultFileStart, defaultFileEnd) = source.FileSpan(defaultStart, defaultEnd);
                Add(new SecretCandidate(SecretRule.CommandPassword, defaultFileStart, defaultFileEnd, defaultValue, [program, defaultValue.Length, option, fix(kind.Variable ?? variable)]));
                break;
            case ValueKind.HostReference when IsCompose && commandContext:
                string name = kind.Variable ?? variable;
                var (referenceStart, referenceEnd) = source.FileSpan(start, end);
                Add(new SecretCandidate(SecretRule.HostInterpolated, referenceStart, referenceEnd, string.Empty, [program, value, Format(T.HostReferenceFix, name), name]));
                break;
        }
    }

    /// <summary>Rule 5 (SBC2005): a provider credential.</summary>
    public void ProviderToken(ProviderMatch match)
    {
        string value = Text[match.Start..match.End];
        string from = Kind == SecretFileKind.Workflow ? T.TokenFromWorkflowSecret : T.TokenFromSecretStore;
        Add(new SecretCandidate(SecretRule.ProviderToken, match.Start, match.End, value, [match.Kind, value.Length, from]));
    }

    /// <summary>Rule SBC2009: <paramref name="secret"/>'s value written at [start, end) of the file.</summary>
    public void KnownValue(KnownSecret secret, int start, int end)
    {
        string fix = Kind switch
        {
            SecretFileKind.Yaml when IsCompose => Format(T.RequiredVariable, secret.Name, string.Empty),
            SecretFileKind.Dockerfile => Format(T.DockerfileDefault, secret.Name, string.Empty, secret.Name.ToLowerInvariant()),
            SecretFileKind.Shell => Format(T.ShellRequiredVariable, secret.Name, string.Empty),
            _ => Format(T.KnownValueVariable, secret.Name),
        };
        Add(new SecretCandidate(SecretRule.KnownValue, start, end, Text[start..end], [secret.Name, secret.Source, fix]));
    }

    /// <summary>Records that a format scanner stopped early (a bug); the exception's type only, never its message.</summary>
    public void Failed(Exception exception)
        => _failures.Add(DiagnosticCatalog.SecretScanIncomplete.Create(Path, SourceSpan.None, exception.GetType().Name));

    /// <summary>The fix for a key-aware finding at <paramref name="site"/>.</summary>
    private string Fix(ValueSite site, string key, string variable, string prefix, bool listForm)
    {
        string id = variable.ToLowerInvariant();
        return site switch
        {
            ValueSite.ComposeEnvironment => Format(listForm ? T.ComposeList : T.ComposeMap, key, variable, id, prefix),
            ValueSite.ComposeBuildArgs => Format(T.ComposeBuildSecret, key, variable, id, prefix),
            ValueSite.Workflow => Format(T.Workflow, key, variable, id, prefix),
            ValueSite.Yaml when IsCompose => Format(listForm ? T.ComposeList : T.ComposeMap, key, variable, id, prefix),
            ValueSite.Yaml => Format(T.ConfigYaml, key, variable, id, prefix),
            ValueSite.DockerfileEnv or ValueSite.DockerfileArg or ValueSite.DockerfileLabel => Format(T.Dockerfile, key, variable, id, prefix),
            ValueSite.Shell => Format(T.Shell, key, variable, id, prefix),
            ValueSite.Dotenv => Format(T.Dotenv, key, variable, id, prefix),
            _ when IsCompose => Format(T.ComposeCommandAssignment, key, variable, id, prefix),
            _ when Kind == SecretFileKind.Dockerfile => Format(T.Dockerfile, key, variable, id, prefix),
            _ => Format(T.CommandAssignment, key, variable, id, prefix),
        };
    }

    private static string Where(ValueSite site) => site switch
    {
        ValueSite.ComposeEnvironment => T.InComposeEnvironment,
        ValueSite.ComposeBuildArgs => T.InComposeBuildArgs,
        ValueSite.Workflow => T.InWorkflow,
        ValueSite.DockerfileEnv => T.InDockerfileEnv,
        ValueSite.DockerfileArg => T.InDockerfileArg,
        ValueSite.DockerfileLabel => T.InDockerfileLabel,
        ValueSite.Shell => T.InShell,
        ValueSite.Dotenv => T.InDotenv,
        ValueSite.Command => T.InCommand,
        _ => T.InYaml,
    };

    private static string VariableForScheme(string scheme)
    {
        string s = scheme.ToLowerInvariant();
        return s switch
        {
            _ when s.StartsWith("bolt", StringComparison.Ordinal) || s.StartsWith("neo4j", StringComparison.Ordinal) => "NEO4J_PASSWORD",
            _ when s.StartsWith("postgres", StringComparison.Ordinal) => "POSTGRES_PASSWORD",
            _ when s.StartsWith("mysql", StringComparison.Ordinal) || s.StartsWith("mariadb", StringComparison.Ordinal) => "MYSQL_PASSWORD",
            _ when s.StartsWith("redis", StringComparison.Ordinal) => "REDIS_PASSWORD",
            _ when s.StartsWith("mongodb", StringComparison.Ordinal) => "MONGO_PASSWORD",
            _ when s.StartsWith("amqp", StringComparison.Ordinal) => "RABBITMQ_PASSWORD",
            _ => "URL_PASSWORD",
        };
    }

    internal static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private void Add(SecretCandidate candidate)
    {
        if (candidate.End > candidate.Start && candidate.Start >= 0 && candidate.End <= Text.Length)
        {
            _candidates.Add(candidate);
        }
    }

    private static void Trim(string text, ref int start, ref int end)
    {
        end = Math.Min(end, text.Length);
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
    }

    /// <summary>1-based line of an offset.</summary>
    public int LineOf(int offset) => Lines.LineOf(offset);

    /// <summary>[start, end) of a 1-based line, without its line break.</summary>
    public (int Start, int End) LineBounds(int line) => Lines.LineBounds(line);

    // ---------------------------------------------------------------------------------------------
    // Finishing: one finding per value, example-file policy, suppressions, messages.

    public SecretScanResult Finish()
    {
        var candidates = IsExample ? ApplyExamplePolicy(_candidates) : _candidates;
        var accepted = ResolveOverlaps(candidates);
        var diagnostics = new List<Diagnostic>(_failures);
        var values = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pragmaCache = new Dictionary<int, string?>();
        foreach (var candidate in accepted.OrderBy(c => c.Start).ThenBy(c => c.Rule))
        {
            var descriptor = Descriptor(candidate.Rule);
            var span = Lines.Span(candidate.Start, candidate.End);
            string message = Scrub(descriptor.Format(candidate.Args), candidate);
            if (CopiedInto is not null)
            {
                message += Format(T.CopiedIntoImage, CopiedInto);
            }

            string? pragma = Pragma(span.Line, pragmaCache);
            diagnostics.Add(pragma is null
                ? new Diagnostic(descriptor, descriptor.DefaultSeverity, Path, span, message)
                : DiagnosticCatalog.SecretSuppressed.Create(Path, span, descriptor.Code, descriptor.Title, pragma));
            foreach (string? value in new[] { candidate.Value, candidate.AlternateValue })
            {
                if (!string.IsNullOrEmpty(value) && seen.Add(value))
                {
                    values.Add(value);
                }
            }
        }

        return new SecretScanResult(diagnostics, values);
    }

    private static DiagnosticDescriptor Descriptor(SecretRule rule) => rule switch
    {
        SecretRule.Hardcoded => DiagnosticCatalog.SecretHardcoded,
        SecretRule.LiteralDefault => DiagnosticCatalog.SecretLiteralDefault,
        SecretRule.UrlCredentials => DiagnosticCatalog.SecretInUrl,
        SecretRule.CommandPassword => DiagnosticCatalog.SecretInCommand,
        SecretRule.ProviderToken => DiagnosticCatalog.SecretProviderToken,
        SecretRule.ExampleValue => DiagnosticCatalog.SecretRealValueInExample,
        SecretRule.KnownValue => DiagnosticCatalog.SecretValueCopied,
        _ => DiagnosticCatalog.SecretInterpolatedIntoCommand,
    };

    /// <summary>
    /// In an example file placeholders and weak values are fine: a key-aware finding survives only when the value looks
    /// real, as SBC2006; the other rules keep their codes for real-looking values; provider tokens stay unless they are
    /// placeholders (AKIAIOSFODNN7EXAMPLE).
    /// </summary>
    private List<SecretCandidate> ApplyExamplePolicy(List<SecretCandidate> candidates)
    {
        var kept = new List<SecretCandidate>(candidates.Count);
        foreach (var candidate in candidates)
        {
            switch (candidate.Rule)
            {
                case SecretRule.ProviderToken:
                    if (!SecretValues.IsPlaceholder(candidate.Value))
                    {
                        kept.Add(candidate);
                    }

                    break;
                case SecretRule.HostInterpolated:
                    kept.Add(candidate);
                    break;
                default:
                    if (!SecretValues.LooksReal(candidate.Value, out string reason))
                    {
                        break;
                    }

                    if (candidate.Rule == SecretRule.Hardcoded && candidate.Key is { } key)
                    {
                        candidate.Rule = SecretRule.ExampleValue;
                        candidate.Args = [key, candidate.Value.Length, reason, Format(T.ExamplePlaceholder, key, candidate.ValuePrefix)];
                    }

                    kept.Add(candidate);
                    break;
            }
        }

        return kept;
    }

    /// <summary>Keeps one candidate per value: where spans overlap, the rule that comes first in <see cref="SecretRule"/> wins.</summary>
    private List<SecretCandidate> ResolveOverlaps(List<SecretCandidate> candidates)
    {
        var accepted = new List<SecretCandidate>(candidates.Count);
        var byLine = new Dictionary<int, List<SecretCandidate>>();
        foreach (var candidate in candidates.OrderBy(c => c.Rule).ThenBy(c => c.Start))
        {
            int first = LineOf(candidate.Start);
            int last = Math.Min(LineOf(Math.Max(candidate.Start, candidate.End - 1)), first + 1000);
            bool overlaps = false;
            for (int line = first; line <= last && !overlaps; line++)
            {
                overlaps = byLine.TryGetValue(line, out var onLine) && onLine.Any(a => a.Start < candidate.End && candidate.Start < a.End);
            }

            if (overlaps)
            {
                continue;
            }

            accepted.Add(candidate);
            for (int line = first; line <= last; line++)
            {
                if (!byLine.TryGetValue(line, out var onLine))
                {
                    byLine[line] = onLine = [];
                }

                onLine.Add(candidate);
            }
        }

        return accepted;
    }

    /// <summary>The suppression comment that applies to <paramref name="line"/>, or null.</summary>
    private string? Pragma(int line, Dictionary<int, string?> cache)
    {
        if (cache.TryGetValue(line, out string? cached))
        {
            return cached;
        }

        string? pragma = null;
        var (start, end) = LineBounds(line);
        string text = Text[start..end];
        if (text.Contains("gitleaks:allow", StringComparison.Ordinal))
        {
            pragma = "gitleaks:allow";
        }
        else if (SameLinePragma().IsMatch(text))
        {
            pragma = "pragma: allowlist secret";
        }
        else if (text.Contains("trufflehog:ignore", StringComparison.Ordinal))
        {
            pragma = "trufflehog:ignore";
        }
        else if (line > 1)
        {
            var (previousStart, previousEnd) = LineBounds(line - 1);
            if (NextLinePragma().IsMatch(Text.AsSpan(previousStart, previousEnd - previousStart)))
            {
                pragma = "pragma: allowlist nextline secret";
            }
        }

        cache[line] = pragma;
        return pragma;
    }

    /// <summary>Belt and braces: a message never carries the value, whatever its arguments held.</summary>
    private static string Scrub(string message, SecretCandidate candidate)
    {
        foreach (string? value in new[] { candidate.Value, candidate.AlternateValue })
        {
            if (value is { Length: >= SecretMasker.MinimumLength } && message.Contains(value, StringComparison.Ordinal))
            {
                message = message.Replace(value, SecretMasker.Mask, StringComparison.Ordinal);
            }
        }

        return message;
    }

    [GeneratedRegex(@"pragma:\s*allowlist[ \-]secret", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SameLinePragma();

    [GeneratedRegex(@"pragma:\s*allowlist[ \-]nextline[ \-]secret", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NextLinePragma();
}
