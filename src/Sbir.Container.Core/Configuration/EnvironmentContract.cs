using Sbir.Container.Diagnostics;

namespace Sbir.Container.Configuration;

/// <summary>The type of an environment variable in the contract.</summary>
public enum VariableType
{
    /// <summary>Any text.</summary>
    String,

    /// <summary>A whole number.</summary>
    Int,

    /// <summary>A TCP/UDP port, 1 to 65535.</summary>
    Port,

    /// <summary>true/false, 1/0, yes/no, on/off.</summary>
    Bool,

    /// <summary>A duration: 90s, 1m30s, 2h, or seconds.</summary>
    Duration,

    /// <summary>An absolute URL, optionally restricted to some schemes.</summary>
    Url,

    /// <summary>One of a fixed list of values.</summary>
    Enum,

    /// <summary>A file-system path.</summary>
    Path,
}

/// <summary>One variable of the environment contract (config/docker.yaml, environment.variables).</summary>
public sealed record VariableSpec
{
    /// <summary>The variable name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type.</summary>
    public VariableType Type { get; init; } = VariableType.String;

    /// <summary>True when the value is a secret: masked everywhere, never literal in tracked files.</summary>
    public bool Secret { get; init; }

    /// <summary>Required in every profile.</summary>
    public bool Required { get; init; }

    /// <summary>Required in these profiles only (dev, test, prod).</summary>
    public IReadOnlyList<string> RequiredProfiles { get; init; } = [];

    /// <summary>The value used when the variable is not set (not allowed for secrets).</summary>
    public string? Default { get; init; }

    /// <summary>What the variable is for.</summary>
    public string? Description { get; init; }

    /// <summary>An example value for .env.example (a placeholder for secrets).</summary>
    public string? Example { get; init; }

    /// <summary>For <see cref="VariableType.Url"/>: the allowed schemes (empty: any).</summary>
    public IReadOnlyList<string> Schemes { get; init; } = [];

    /// <summary>For <see cref="VariableType.Enum"/>: the allowed values.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>
    /// The fewest characters a value may have (0: no minimum), for values that a service refuses when
    /// short: Neo4j 5 will not start with a password under 8 characters.
    /// </summary>
    public int MinLength { get; init; }

    /// <summary>Where the variable is declared in config/docker.yaml.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>True when the variable must be set for <paramref name="profile"/> (null or empty: no profile).</summary>
    public bool IsRequiredFor(string? profile)
        => Default is null && (Required || (!string.IsNullOrEmpty(profile) && RequiredProfiles.Contains(profile, StringComparer.OrdinalIgnoreCase)));
}

/// <summary>
/// The environment contract of config/docker.yaml: every variable the stack reads, the .env files,
/// and the prefix whose variables map onto the application's settings (SBIR_ETL__A__B is settings key a.b).
/// </summary>
public sealed record EnvironmentContract
{
    /// <summary>The local file of settings and secrets (environment.files.env).</summary>
    public string EnvFile { get; init; } = ".env";

    /// <summary>The committed template (environment.files.example).</summary>
    public string ExampleFile { get; init; } = ".env.example";

    /// <summary>The prefix of variables that override application settings (environment.prefix).</summary>
    public string Prefix { get; init; } = "SBIR_ETL__";

    /// <summary>The declared variables, by name.</summary>
    public IReadOnlyDictionary<string, VariableSpec> Variables { get; init; } = new Dictionary<string, VariableSpec>(StringComparer.Ordinal);

    /// <summary>True when config/docker.yaml declares an environment contract at all.</summary>
    public bool IsDeclared { get; init; }

    /// <summary>Names of the secret variables.</summary>
    public IReadOnlySet<string> SecretNames => Variables.Values.Where(v => v.Secret).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> holds a secret: marked <c>secret: true</c> here, or named like one (<see cref="Secrets.SecretNames.LooksSecret"/>).</summary>
    public bool IsSecret(string name)
        => Variables.TryGetValue(name, out var spec) && spec.Secret || Secrets.SecretNames.LooksSecret(name);

    /// <summary>The settings key a prefixed variable maps to (SBIR_ETL__NEO4J__URI → neo4j.uri), or null.</summary>
    public string? SettingsKeyOf(string variable)
        => Prefix.Length > 0 && variable.StartsWith(Prefix, StringComparison.Ordinal) && variable.Length > Prefix.Length
            ? string.Join('.', variable[Prefix.Length..].Split("__")).ToLowerInvariant()
            : null;

    /// <summary>The variable that maps to a settings key (neo4j.uri → SBIR_ETL__NEO4J__URI).</summary>
    public string VariableOf(string settingsKey) => Prefix + string.Join("__", settingsKey.Split('.')).ToUpperInvariant();
}
