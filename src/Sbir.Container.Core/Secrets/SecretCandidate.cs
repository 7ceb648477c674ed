namespace Sbir.Container.Secrets;

/// <summary>The rules, in the order that decides which one reports a value several of them see (lowest first).</summary>
internal enum SecretRule
{
    /// <summary>SBC2006: real-looking value for a secret-named key in an example file.</summary>
    ExampleValue = 0,

    /// <summary>SBC2005: a provider's token format.</summary>
    ProviderToken = 1,

    /// <summary>SBC2002: literal default of a secret-named variable.</summary>
    LiteralDefault = 2,

    /// <summary>SBC2004: literal password on a command line.</summary>
    CommandPassword = 3,

    /// <summary>SBC2003: literal password in a URL.</summary>
    UrlCredentials = 4,

    /// <summary>SBC2001: literal value of a secret-named key.</summary>
    Hardcoded = 5,

    /// <summary>SBC2007: password interpolated by compose on the host into a command.</summary>
    HostInterpolated = 6,

    /// <summary>SBC2009: a known secret value (from .env or the environment) written in the file; any rule above that saw the same value speaks first.</summary>
    KnownValue = 7,
}

/// <summary>Where a key-aware value was found, which decides the wording and the fix.</summary>
internal enum ValueSite
{
    ComposeEnvironment,
    ComposeBuildArgs,
    Yaml,
    Workflow,
    DockerfileEnv,
    DockerfileArg,
    DockerfileLabel,
    Shell,
    Dotenv,
    Command,
}

/// <summary>One finding before overlaps are resolved: the value's absolute offsets and the message arguments.</summary>
internal sealed class SecretCandidate(SecretRule rule, int start, int end, string value, object[] args)
{
    public SecretRule Rule { get; set; } = rule;

    public int Start { get; } = start;

    public int End { get; } = end;

    /// <summary>The secret (empty for SBC2007, which is about a reference).</summary>
    public string Value { get; } = value;

    public object[] Args { get; set; } = args;

    /// <summary>Other spellings of the value to mask (a URL password percent-decoded).</summary>
    public string? AlternateValue { get; init; }

    /// <summary>For SBC2001 in an example file: the key and what precedes the password (neo4j/), to build SBC2006.</summary>
    public string? Key { get; init; }

    public string ValuePrefix { get; init; } = string.Empty;
}
