namespace Sbir.Container.Diagnostics;

// SBC11xx: .env and .env.example against the environment contract of config/docker.yaml.
public static partial class DiagnosticCatalog
{
    /// <summary>A variable the contract requires is not set.</summary>
    public static readonly DiagnosticDescriptor EnvRequiredMissing = new(
        "SBC1101", "Required variable missing", DiagnosticSeverity.Error,
        "{0} is required{1} but is set neither in {2} nor in the environment",
        "Add {0}=... to {2}{3}.");

    /// <summary>A value that does not fit the declared type.</summary>
    public static readonly DiagnosticDescriptor EnvWrongType = new(
        "SBC1102", "Value of the wrong type", DiagnosticSeverity.Error,
        "{0} must be {1}, but {2}",
        "Fix the value; the contract is in config/docker.yaml (environment.variables.{0}).");

    /// <summary>A variable the contract does not know.</summary>
    public static readonly DiagnosticDescriptor EnvUnknownVariable = new(
        "SBC1103", "Unknown variable", DiagnosticSeverity.Warning,
        "{0} is not part of the environment contract, so nothing reads it.{1}",
        "Fix the name, or declare it under environment.variables in config/docker.yaml.");

    /// <summary>A prefixed variable that maps to no settings key (the original project's SBIR_ETL__NEO4J__BOLT_URL).</summary>
    public static readonly DiagnosticDescriptor EnvUnknownSetting = new(
        "SBC1104", "Prefixed variable maps to no setting", DiagnosticSeverity.Error,
        "{0} maps to the settings key '{1}', which does not exist, so the application would silently ignore it.{2}",
        "Use a variable that maps to a key of settings: in config/docker.yaml (double underscore = one level), or add the key there.");

    /// <summary>The same variable twice in one file.</summary>
    public static readonly DiagnosticDescriptor EnvDuplicate = new(
        "SBC1105", "Duplicate variable", DiagnosticSeverity.Warning,
        "{0} is set again here (first on line {1}); the last value wins",
        "Keep one line for {0}.");

    /// <summary>A secret that is empty in .env.</summary>
    public static readonly DiagnosticDescriptor EnvEmptySecret = new(
        "SBC1106", "Empty secret", DiagnosticSeverity.Error,
        "The secret {0} is empty",
        "Set a real value for {0} in .env (generate one, for example: openssl rand -hex 24).");

    /// <summary>A secret in .env still holding a placeholder or a well-known weak value.</summary>
    public static readonly DiagnosticDescriptor EnvPlaceholderSecret = new(
        "SBC1107", "Placeholder or weak secret", DiagnosticSeverity.Error,
        "The secret {0} still holds a placeholder or well-known weak value ({1})",
        "Replace it with a real secret in .env (generate one, for example: openssl rand -hex 24).");

    /// <summary>A contract variable that .env.example does not mention.</summary>
    public static readonly DiagnosticDescriptor EnvExampleMissingVariable = new(
        "SBC1109", "Variable not documented in .env.example", DiagnosticSeverity.Warning,
        "{0} is part of the environment contract but {1} does not mention it",
        "Add '{0}={2}' (or a commented '# {0}=...' line) to {1}, so that a new developer knows it exists.");

    /// <summary>.env can be committed.</summary>
    public static readonly DiagnosticDescriptor EnvNotIgnoredByGit = new(
        "SBC1110", ".env not ignored by git", DiagnosticSeverity.Error,
        "{0} {1}",
        "Add '.env' to .gitignore{2}.");

    /// <summary>.env would be sent into the image build context.</summary>
    public static readonly DiagnosticDescriptor EnvNotIgnoredByDocker = new(
        "SBC1111", ".env not excluded by .dockerignore", DiagnosticSeverity.Error,
        "{0} would be sent to the image build (the build context is {1}), where a COPY could bake its secrets into a layer",
        "Add '.env' (and '.env.*' with '!.env.example') to {1}/.dockerignore.");

    /// <summary>No .env at all.</summary>
    public static readonly DiagnosticDescriptor EnvFileMissing = new(
        "SBC1112", ".env missing", DiagnosticSeverity.Warning,
        "{0} does not exist{1}",
        "{2}");

    /// <summary>A variable in .env that no compose file passes on.</summary>
    public static readonly DiagnosticDescriptor EnvNotUsedByCompose = new(
        "SBC1114", "Variable not passed to any service", DiagnosticSeverity.Warning,
        "{0} is set in .env, but no compose file uses it: .env only feeds compose's interpolation, so this value never reaches a container",
        "Map it where a service needs it, for example environment: {{ {0}: ${{{0}}} }}; for a name under a prefix such as SBIR_ETL__, give the services that need it x-sbir-environment-prefix: with that prefix (the SDK then passes every such variable); or load the whole file into a service with env_file:, or remove it from .env.");

    /// <summary>No .env.example.</summary>
    public static readonly DiagnosticDescriptor EnvExampleMissing = new(
        "SBC1113", ".env.example missing", DiagnosticSeverity.Warning,
        "{0} does not exist, so nobody can tell which variables .env needs",
        "Commit {0} with every variable of the contract and placeholders for the secrets.");
}
