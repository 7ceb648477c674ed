using System.Globalization;
using System.Text.RegularExpressions;
using Sbir.Container.Configuration;
using Sbir.Container.Context;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;
using Sbir.Container.Text;

namespace Sbir.Container.Validation;

/// <summary>What the environment-contract check needs to know.</summary>
public sealed record EnvContractInput
{
    /// <summary>The contract (config/docker.yaml, environment:).</summary>
    public required EnvironmentContract Contract { get; init; }

    /// <summary>The application's settings keys (config/docker.yaml, settings:).</summary>
    public required IReadOnlySet<string> SettingsKeys { get; init; }

    /// <summary>The compose profile being validated, or null.</summary>
    public string? Profile { get; init; }

    /// <summary>The project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The build context (its .dockerignore must exclude .env).</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>True for ComposeUp: a missing .env is an error rather than a warning.</summary>
    public bool EnvRequired { get; init; }

    /// <summary>The host environment (values there satisfy required variables, as compose reads them first).</summary>
    public required Func<string, string?> Host { get; init; }

    /// <summary>Answers "is this path ignored by git?" (null when the project is not in a git repository).</summary>
    public Func<string, GitIgnoreStatus>? GitIgnore { get; init; }
}

/// <summary>What git says about a file.</summary>
public enum GitIgnoreStatus
{
    /// <summary>Not in a git repository, or git is missing.</summary>
    Unknown,

    /// <summary>Ignored and not tracked.</summary>
    Ignored,

    /// <summary>Not ignored: it could be committed.</summary>
    NotIgnored,

    /// <summary>Already committed.</summary>
    Tracked,
}

/// <summary>
/// Checks .env and .env.example against the environment contract: required variables per profile,
/// types, unknown names with a did-you-mean, SBIR_ETL__ variables that map to no setting,
/// duplicates, empty or placeholder secrets, undocumented variables, and whether .env is kept out of
/// git and out of the image build context.
/// </summary>
public static partial class EnvContractChecker
{
    /// <summary>Values that are never real secrets.</summary>
    private static readonly HashSet<string> WeakValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password123", "passw0rd", "secret", "changeme", "change-me", "change_me", "changeit",
        "admin", "root", "neo4j", "test", "testing", "example", "default", "12345678", "123456", "qwerty", "letmein",
        "xxx", "xxxx", "xxxxxx", "todo", "fixme", "replace-me", "replace_me", "your-password", "your_password", "placeholder",
    };

    /// <summary>Runs the check. Returns the parsed .env (or null) alongside the diagnostics, so callers can reuse its values.</summary>
    public static (IReadOnlyList<Diagnostic> Diagnostics, DotenvDocument? Env) Check(EnvContractInput input)
    {
        var diagnostics = new List<Diagnostic>();
        var contract = input.Contract;
        string envPath = Path.GetFullPath(contract.EnvFile, input.ProjectDirectory);
        string examplePath = Path.GetFullPath(contract.ExampleFile, input.ProjectDirectory);

        // A folder or a FIFO where .env should be is read (and refused with its reason), not taken for a missing file.
        DotenvDocument? env = DotenvParser.ParseFileIfPresent(envPath, input.Host);
        DotenvDocument? example = DotenvParser.ParseFileIfPresent(examplePath);

        if (env is not null)
        {
            diagnostics.AddRange(env.Diagnostics);
            CheckFile(input, env, isExample: false, diagnostics);
        }
        else if (!input.EnvRequired && !contract.IsDeclared && example is null)
        {
            // Nothing declares an environment (no contract in config/docker.yaml, no .env.example): a
            // project that builds an image and has no secrets is not told to copy a file it does not have.
        }
        else
        {
            // A server or CI job may export every required variable instead of keeping a .env: then the
            // stack can start, and the missing file is only worth a warning.
            bool environmentSuffices = contract.IsDeclared && contract.Variables.Values
                .Where(v => v.IsRequiredFor(input.Profile))
                .All(v => !string.IsNullOrEmpty(input.Host(v.Name)));
            string why = !input.EnvRequired ? "; building without it (CI builds need no secrets)"
                : environmentSuffices ? "; the required variables come from the environment"
                : ": the stack cannot start without the secrets it holds";
            // Only a .env.example that exists is worth copying; otherwise name what .env must hold.
            var required = contract.Variables.Values.Where(v => v.IsRequiredFor(input.Profile)).Select(v => v.Name).ToList();
            string fix = example is not null ? $"Copy {contract.ExampleFile} to {contract.EnvFile} and fill in the secrets."
                : required.Count > 0 ? $"Create {contract.EnvFile} with a line NAME=value for each required variable ({string.Join(", ", required)})."
                : $"Create {contract.EnvFile} with a line NAME=value for each variable the stack needs.";
            var missing = DiagnosticCatalog.EnvFileMissing.Create(envPath, SourceSpan.None, contract.EnvFile, why, fix);
            diagnostics.Add(input.EnvRequired && !environmentSuffices ? missing.WithSeverity(DiagnosticSeverity.Error) : missing);
        }

        if (example is not null)
        {
            diagnostics.AddRange(example.Diagnostics);
            CheckFile(input, example, isExample: true, diagnostics);
            CheckDocumented(input, example, examplePath, diagnostics);
        }
        else if (contract.IsDeclared)
        {
            diagnostics.Add(DiagnosticCatalog.EnvExampleMissing.Create(examplePath, SourceSpan.None, contract.ExampleFile));
        }

        if (env is not null && contract.IsDeclared)
        {
            CheckRequired(input, env, envPath, diagnostics);
        }

        // Only a .env that exists can leak; one that does not is reported as missing above.
        if (env is not null)
        {
            CheckIgnored(input, envPath, diagnostics);
        }

        return (diagnostics, env);
    }

    private static void CheckFile(EnvContractInput input, DotenvDocument document, bool isExample, List<Diagnostic> diagnostics)
    {
        var contract = input.Contract;
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var known = contract.Variables.Keys.Concat(input.SettingsKeys.Select(contract.VariableOf)).ToList();
        foreach (var entry in document.Entries)
        {
            if (IsPastedLine(input, entry))
            {
                // Never echoed: a line with no '=' that is not a variable name is most often a secret pasted on its own.
                diagnostics.Add(DiagnosticCatalog.EnvLineWithoutValue.Create(document.Path, SourceSpan.OnLine(entry.Line), entry.Line, entry.Key.Length));
                continue;
            }

            if (firstLine.TryGetValue(entry.Key, out int first))
            {
                diagnostics.Add(DiagnosticCatalog.EnvDuplicate.Create(document.Path, entry.KeySpan, entry.Key, first));
            }
            else
            {
                firstLine[entry.Key] = entry.Line;
            }

            var spec = Spec(input, entry.Key);
            if (spec is null)
            {
                if (contract.SettingsKeyOf(entry.Key) is { } key)
                {
                    string hint = DidYouMean.Hint(entry.Key, input.SettingsKeys.Select(contract.VariableOf));
                    diagnostics.Add(DiagnosticCatalog.EnvUnknownSetting.Create(document.Path, entry.KeySpan, entry.Key, key, hint));
                }
                else if (contract.IsDeclared)
                {
                    diagnostics.Add(DiagnosticCatalog.EnvUnknownVariable.Create(document.Path, entry.KeySpan, entry.Key, DidYouMean.Hint(entry.Key, known)));
                }

                continue;
            }

            if (entry.Inherited || entry.Value is null)
            {
                continue;
            }

            if (spec.Secret)
            {
                // The example holds placeholders by design; the secret scanner looks for real-looking values there.
                if (!isExample)
                {
                    CheckSecretValue(document, entry, spec, diagnostics);
                }

                continue;
            }

            if (isExample && entry.Value.Length == 0)
            {
                continue;
            }

            if (TypeProblem(spec, entry.Value) is { } problem)
            {
                diagnostics.Add(DiagnosticCatalog.EnvWrongType.Create(document.Path, entry.ValueSpan, entry.Key, Describe(spec), problem));
            }
            else if (TooShort(document, entry, spec, entry.Value.Trim()) is { } tooShort)
            {
                diagnostics.Add(tooShort);
            }
        }
    }

    private static void CheckSecretValue(DotenvDocument document, DotenvEntry entry, VariableSpec spec, List<Diagnostic> diagnostics)
    {
        string value = entry.Value!.Trim();
        if (value.Length == 0)
        {
            diagnostics.Add(DiagnosticCatalog.EnvEmptySecret.Create(document.Path, entry.KeySpan, entry.Key));
        }
        else if (IsPlaceholder(value))
        {
            // Describing the kind of value, never the value itself.
            string kind = value.StartsWith('<') ? "an <angle-bracket> placeholder" : value.Length < 8 ? $"only {value.Length} characters, a well-known value" : "a well-known placeholder";
            diagnostics.Add(DiagnosticCatalog.EnvPlaceholderSecret.Create(document.Path, entry.ValueSpan, entry.Key, kind));
        }
        else if (TooShort(document, entry, spec, value) is { } tooShort)
        {
            diagnostics.Add(tooShort);
        }
    }

    /// <summary>SBC1102 when <paramref name="value"/> is shorter than the spec's minLength; a secret's value is never quoted, only its length.</summary>
    private static Diagnostic? TooShort(DotenvDocument document, DotenvEntry entry, VariableSpec spec, string value)
        => value.Length >= spec.MinLength ? null
            : DiagnosticCatalog.EnvWrongType.Create(document.Path, entry.ValueSpan, entry.Key, $"at least {spec.MinLength} characters long", spec.Secret ? $"it has {value.Length}" : $"'{Short(value)}' has {value.Length}");

    /// <summary>True for the values nobody should use as a secret: placeholders and the classic weak ones.</summary>
    public static bool IsPlaceholder(string value)
    {
        string v = value.Trim();
        return WeakValues.Contains(v)
            || (v.StartsWith('<') && v.EndsWith('>'))
            || PlaceholderPattern().IsMatch(v)
            || (v.Length > 0 && v.All(c => c == v[0]));
    }

    private static void CheckRequired(EnvContractInput input, DotenvDocument env, string envPath, List<Diagnostic> diagnostics)
    {
        var values = env.Values;
        foreach (var spec in input.Contract.Variables.Values.Where(v => v.IsRequiredFor(input.Profile)))
        {
            if (values.ContainsKey(spec.Name) || input.Host(spec.Name) is not null)
            {
                continue;
            }

            string scope = spec.Required ? string.Empty : $" for the {input.Profile} profile";
            string description = spec.Description is { Length: > 0 } desc ? desc : string.Empty;
            bool hasExample = File.Exists(Path.GetFullPath(input.Contract.ExampleFile, input.ProjectDirectory));
            string see = hasExample ? $" (see {input.Contract.ExampleFile}{(description.Length > 0 ? ": " + description : string.Empty)})"
                : description.Length > 0 ? $" ({description})" : string.Empty;
            diagnostics.Add(DiagnosticCatalog.EnvRequiredMissing.Create(envPath, SourceSpan.None, spec.Name, scope, input.Contract.EnvFile, see));
        }
    }

    private static void CheckDocumented(EnvContractInput input, DotenvDocument example, string examplePath, List<Diagnostic> diagnostics)
    {
        var content = IO.SafeFile.Read(examplePath, DotenvParser.MaxFileSize);
        if (!content.Succeeded)
        {
            return;
        }

        string text = content.Text;
        foreach (var spec in input.Contract.Variables.Values)
        {
            bool listed = example.Entries.Any(e => e.Key == spec.Name)
                || Regex.IsMatch(text, @"^\s*#\s*(export\s+)?" + Regex.Escape(spec.Name) + @"\s*[=:]", RegexOptions.Multiline);
            if (!listed)
            {
                string sample = spec.Secret ? "change-me" : spec.Example ?? spec.Default ?? string.Empty;
                diagnostics.Add(DiagnosticCatalog.EnvExampleMissingVariable.Create(examplePath, SourceSpan.None, spec.Name, input.Contract.ExampleFile, sample));
            }
        }
    }

    private static void CheckIgnored(EnvContractInput input, string envPath, List<Diagnostic> diagnostics)
    {
        string relative = Path.GetRelativePath(input.ProjectDirectory, envPath).Replace('\\', '/');
        switch (input.GitIgnore?.Invoke(relative) ?? GitIgnoreStatus.Unknown)
        {
            case GitIgnoreStatus.Tracked:
                diagnostics.Add(DiagnosticCatalog.EnvNotIgnoredByGit.Create(envPath, SourceSpan.None, relative, "is committed to git, so its secrets are in the repository history", $", then 'git rm --cached {relative}' and rotate every secret it held"));
                break;
            case GitIgnoreStatus.NotIgnored:
                diagnostics.Add(DiagnosticCatalog.EnvNotIgnoredByGit.Create(envPath, SourceSpan.None, relative, "is not ignored by git: 'git add .' would commit its secrets", string.Empty));
                break;
        }

        string inContext = Path.GetRelativePath(input.ContextDirectory, envPath).Replace('\\', '/');
        if (!inContext.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(inContext)
            && !DockerIgnore.Load(input.ContextDirectory).IsExcluded(inContext))
        {
            diagnostics.Add(DiagnosticCatalog.EnvNotIgnoredByDocker.Create(envPath, SourceSpan.None, relative, Path.GetRelativePath(input.ProjectDirectory, input.ContextDirectory)));
        }
    }

    /// <summary>
    /// A bare line (no '=') that names no declared variable and is not written like one (upper case, digits, '_'):
    /// compose would take it as a variable inherited from the host, but it is most often a value pasted on a line of its
    /// own, so it is never printed (and <see cref="Secrets.SecretValueSet"/> masks it).
    /// </summary>
    public static bool IsPastedLine(EnvContractInput input, DotenvEntry entry)
        => entry.Inherited && !input.Contract.Variables.ContainsKey(entry.Key) && !Secrets.SecretValueSet.IsNameLike(entry.Key);

    /// <summary>The contract entry of a variable: declared, or inferred from the settings tree for prefixed names.</summary>
    private static VariableSpec? Spec(EnvContractInput input, string name)
    {
        if (input.Contract.Variables.TryGetValue(name, out var declared))
        {
            return declared;
        }

        if (input.Contract.SettingsKeyOf(name) is { } key && input.SettingsKeys.Contains(key))
        {
            bool secret = Secrets.SecretNames.LooksSecret(name) || key.EndsWith("password", StringComparison.Ordinal) || key.EndsWith("token", StringComparison.Ordinal);
            return new VariableSpec { Name = name, Secret = secret };
        }

        return null;
    }

    /// <summary>Why <paramref name="value"/> does not fit <paramref name="spec"/>, or null when it does.</summary>
    public static string? TypeProblem(VariableSpec spec, string value)
    {
        string v = value.Trim();
        switch (spec.Type)
        {
            case VariableType.Int:
                return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : $"'{Short(v)}' is not a whole number";
            case VariableType.Port:
                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535 ? null : $"'{Short(v)}' is not a port (1 to 65535)";
            case VariableType.Bool:
                return v.ToLowerInvariant() is "true" or "false" or "1" or "0" or "yes" or "no" or "on" or "off" ? null : $"'{Short(v)}' is not true/false";
            case VariableType.Duration:
                return DurationText.TryParse(v, out _) ? null : $"'{Short(v)}' is not a duration such as 30s, 5m or 1h30m";
            case VariableType.Url:
                if (!Uri.TryCreate(v, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0 || !v.Contains("://", StringComparison.Ordinal))
                {
                    return $"'{Short(v)}' is not an absolute URL";
                }

                return spec.Schemes.Count == 0 || spec.Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
                    ? null
                    : $"its scheme '{uri.Scheme}' is not one of {string.Join(", ", spec.Schemes)}";
            case VariableType.Enum:
                if (spec.Values.Contains(v, StringComparer.Ordinal))
                {
                    return null;
                }

                string? close = spec.Values.FirstOrDefault(x => string.Equals(x, v, StringComparison.OrdinalIgnoreCase)) ?? DidYouMean.Suggest(v, spec.Values);
                return $"'{Short(v)}' is not one of {string.Join(", ", spec.Values)}" + (close is null ? string.Empty : $" (did you mean {close}?)");
            case VariableType.Path:
                return v.Length == 0 || v.IndexOfAny(['\0', '\n']) >= 0 ? "it is not a usable path" : null;
            default:
                return null;
        }
    }

    private static string Describe(VariableSpec spec) => spec.Type switch
    {
        VariableType.Int => "a whole number",
        VariableType.Port => "a port",
        VariableType.Bool => "true or false",
        VariableType.Duration => "a duration",
        VariableType.Url => spec.Schemes.Count == 0 ? "a URL" : $"a URL ({string.Join(", ", spec.Schemes)})",
        VariableType.Enum => "one of " + string.Join(", ", spec.Values),
        VariableType.Path => "a path",
        _ => "text",
    };

    private static string Short(string value) => value.Length <= 40 ? value : value[..37] + "...";

    [GeneratedRegex(@"^(your[-_ ].*|.*[-_]here|x{3,}|\*{3,}|\.\.\.|change[-_ ]?me.*|replace[-_ ]?me.*|<.*>|\{\{.*\}\})$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceholderPattern();
}
