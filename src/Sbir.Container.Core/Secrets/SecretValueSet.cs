using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;

namespace Sbir.Container.Secrets;

/// <summary>A secret value the project knows: which variable holds it and where that came from.</summary>
/// <param name="Name">The variable (NEO4J_PASSWORD), or what found it (a SBC2001 finding).</param>
/// <param name="Source">Where the value comes from, for messages (".env", "the environment", "a finding in config/app.yaml").</param>
/// <param name="Value">The value itself; never printed.</param>
public sealed record KnownSecret(string Name, string Source, string Value);

/// <summary>
/// The secret values of a project, in one place: the values of secret variables in .env (by the environment
/// contract's <c>secret: true</c> or by <see cref="SecretNames"/>), the same variables set in the environment (a CI job
/// that exports them), the password part of *_AUTH values, and every literal the secret scanner found. Everything that
/// could let a secret out consults it: the log masker of every task (<see cref="RegisterWith"/>), the build-argument
/// check (SBC2010, <see cref="FindIn"/>), the configuration's build arguments before they become MSBuild items, and
/// the scanner, which reports a known value copied into another file (SBC2009).
/// </summary>
public sealed class SecretValueSet
{
    /// <summary>
    /// A value is looked for inside other text only from this length: shorter "secrets" (test, neo4j) would match
    /// ordinary words. The contract's minLength keeps real ones longer (Neo4j needs 8).
    /// </summary>
    public const int MinimumMatchLength = 8;

    private readonly List<KnownSecret> _secrets = [];
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);

    /// <summary>Every known secret, in the order added.</summary>
    public IReadOnlyList<KnownSecret> Secrets => _secrets;

    /// <summary>True when nothing is known.</summary>
    public bool IsEmpty => _secrets.Count == 0;

    /// <summary>
    /// The secrets of a project: .env (<paramref name="env"/>, null when there is none) and <paramref name="host"/>,
    /// judged by the <paramref name="contract"/> and by name.
    /// </summary>
    public static SecretValueSet From(DotenvDocument? env, EnvironmentContract contract, Func<string, string?> host)
    {
        var set = new SecretValueSet();
        var contractSecrets = contract.SecretNames;
        bool IsSecret(string name) => contractSecrets.Contains(name) || SecretNames.LooksSecret(name);
        if (env is not null)
        {
            foreach (var entry in env.Entries.Where(e => e.Value is { Length: > 0 } && IsSecret(e.Key)))
            {
                set.Add(entry.Key, Path.GetFileName(env.Path ?? ".env"), entry.Value!);
            }

            // A bare line that is no variable anyone declares is most often a secret pasted on a line of its own.
            foreach (var entry in env.Entries.Where(e => e.Inherited && !contract.Variables.ContainsKey(e.Key) && !IsNameLike(e.Key)))
            {
                set.Add("a line without '='", Path.GetFileName(env.Path ?? ".env"), entry.Key);
            }
        }

        foreach (string name in contractSecrets)
        {
            if (host(name) is { Length: > 0 } value)
            {
                set.Add(name, "the environment", value);
            }
        }

        return set;
    }

    /// <summary>
    /// Loads the set for a project: config/docker.yaml's contract (<paramref name="configFile"/>; missing or broken
    /// gives no contract), the .env at <paramref name="envFile"/> (missing: none) and the host environment. Never
    /// throws; problems with those files are reported by whoever validates them.
    /// </summary>
    public static SecretValueSet Load(string? configFile, string? envFile, Func<string, string?> host)
    {
        var config = string.IsNullOrWhiteSpace(configFile) ? ContainerConfig.Empty : ContainerConfigLoader.Load(configFile).Config;
        var env = string.IsNullOrWhiteSpace(envFile) ? null : DotenvParser.ParseFileIfPresent(envFile, host);
        return From(env, config.Environment, host);
    }

    /// <summary>Adds a value (and, for a *_AUTH name, its password part); empty values and repeats are ignored.</summary>
    public void Add(string name, string source, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < SecretMasker.MinimumLength)
        {
            return;
        }

        string trimmed = value.Trim();
        if (_values.Add(trimmed))
        {
            _secrets.Add(new KnownSecret(name, source, trimmed));
        }

        if (SecretNames.IsAuthPair(name) && SecretValues.TrySplitAuth(trimmed, out int start, out int end, out _) && start > 0)
        {
            Add(SecretNames.VariableFor(name), source, trimmed[start..end]);
        }
    }

    /// <summary>Adds every value of <paramref name="values"/> under one name and source (the scanner's findings).</summary>
    public void AddRange(string name, string source, IEnumerable<string> values)
    {
        foreach (string value in values)
        {
            Add(name, source, value);
        }
    }

    /// <summary>Registers every value with <paramref name="masker"/>, so that no log line prints it in any of its forms.</summary>
    public void RegisterWith(SecretMasker masker)
    {
        foreach (var secret in _secrets)
        {
            masker.Add(secret.Value);
        }
    }

    /// <summary>
    /// The first known secret (of <see cref="MinimumMatchLength"/> characters or more) that <paramref name="text"/>
    /// contains as it is or percent-encoded (as it would be inside a URL), with where it starts; null when none does.
    /// Longer values are tried first, so a password inside a longer known value is reported as the longer one.
    /// </summary>
    public (KnownSecret Secret, int Index, int Length)? FindIn(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var secret in _secrets.Where(s => s.Value.Length >= MinimumMatchLength).OrderByDescending(s => s.Value.Length))
        {
            foreach (string form in new[] { secret.Value, Uri.EscapeDataString(secret.Value) }.Distinct(StringComparer.Ordinal))
            {
                int index = text.IndexOf(form, StringComparison.Ordinal);
                if (index >= 0)
                {
                    return (secret, index, form.Length);
                }
            }
        }

        return null;
    }

    /// <summary>An upper-case variable name (NAME, NAME_2): what a bare .env line normally is.</summary>
    internal static bool IsNameLike(string key)
        => key.Length is > 0 and <= 64 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');
}
