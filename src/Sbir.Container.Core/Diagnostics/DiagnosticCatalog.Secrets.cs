namespace Sbir.Container.Diagnostics;

// SBC20xx: hardcoded secrets in compose files, Dockerfiles, config YAML, scripts, workflows and .env files
// (Sbir.Container.Secrets.SecretScanner). No message ever holds a secret value: only its length and where it is.
public static partial class DiagnosticCatalog
{
    /// <summary>
    /// A secret-named key or variable (NEO4J_PASSWORD, NEO4J_AUTH, *_TOKEN, password:, ...) assigned a literal
    /// value. No entropy floor and no stop words: password123 and changeme are findings like any other value.
    /// Arguments: name, "value" or "password", length, where, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretHardcoded = new(
        "SBC2001", "Hardcoded secret", DiagnosticSeverity.Error,
        "{0} is set to a literal {1} of {2} characters in {3}, so the secret is committed with the file",
        "Write {4} instead, keep the real value in the untracked .env or a secret store, and rotate it if this file was ever pushed.");

    /// <summary>
    /// <c>${NEO4J_PASSWORD:-password}</c>: a literal default of a secret-named variable, used whenever the variable is unset.
    /// Arguments: variable, length, the reference with its default masked, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretLiteralDefault = new(
        "SBC2002", "Literal default for a secret variable", DiagnosticSeverity.Error,
        "{0} has a literal default of {1} characters ({2}), used whenever {0} is unset, so the secret is committed with the file",
        "Make the variable required instead of defaulted: write {3}, and keep the value in the untracked .env.");

    /// <summary>
    /// <c>scheme://user:password@host</c> with a literal password, for any scheme (bolt, neo4j+s, postgres, redis, https, ...).
    /// Arguments: scheme, host, length, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretInUrl = new(
        "SBC2003", "Credentials in a URL", DiagnosticSeverity.Error,
        "The {0}:// URL for {1} embeds a literal password of {2} characters",
        "Keep the password out of the URL: write {3}, or pass the URL without credentials and give the password to the client separately.");

    /// <summary>
    /// <c>cypher-shell -p secret</c>, <c>--password secret</c>, <c>curl -u user:pass</c>, <c>mysql -psecret</c> in a
    /// healthcheck, command, RUN or script. Arguments: program, length, option, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretInCommand = new(
        "SBC2004", "Password on a command line", DiagnosticSeverity.Error,
        "{0} is given a literal password of {1} characters with '{2}'; command lines are kept in the image history, the container configuration and the process list",
        "Write {3} instead.");

    /// <summary>
    /// A credential in a provider's own format, wherever it appears (comments included): AWS access key IDs, GitHub,
    /// GitLab, npm, PyPI and Docker Hub tokens, Slack tokens and webhooks, Stripe live keys, Google API keys, JWTs,
    /// private key blocks. Arguments: kind, length, where to supply it from instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretProviderToken = new(
        "SBC2005", "Provider credential", DiagnosticSeverity.Error,
        "A {0} of {1} characters is written in the file",
        "Revoke it at the provider now (it stays in git history), then supply it at run time {2}.");

    /// <summary>
    /// A .env.example (or other example file) value for a secret-named key that looks real rather than a placeholder.
    /// Arguments: name, length, why it looks real, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretRealValueInExample = new(
        "SBC2006", "Real-looking secret in an example file", DiagnosticSeverity.Error,
        "{0} in the example file has a value that looks real ({1} characters, {2}); example files are committed and copied as they are",
        "Write {3} (empty, or a placeholder such as change-me or <password>), and rotate the value if it was ever real.");

    /// <summary>
    /// A compose healthcheck, command or entrypoint that passes a password as <c>${VAR}</c>: compose expands it on the
    /// host, so the value lands in the container configuration. Arguments: program, the reference, the fix, variable.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretInterpolatedIntoCommand = new(
        "SBC2007", "Password interpolated into a compose command", DiagnosticSeverity.Warning,
        "{0} gets its password from {1}, which docker compose expands on the host, so the value is stored in the container configuration (docker inspect) and shown in the process list",
        "Write {2} so that the container's shell expands it at run time, and pass {3} to the service under environment:.");

    /// <summary>
    /// A file the image will contain (a COPY or ADD takes it from the build context) whose name or folder says it holds
    /// a secret. Arguments: the file (relative to the context), why, the instruction that copies it, the .dockerignore line.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretFileInImage = new(
        "SBC2008", "Secret file in the image", DiagnosticSeverity.Error,
        "{0} would be copied into the image by {2}, and {1}: anyone who can pull the image can read it",
        "Keep it out of the image: add '{3}' to .dockerignore, and give it to the container at run time (a compose secret, secrets: {{ name: {{ file: ... }} }}, read through a *_FILE variable).");

    /// <summary>
    /// A value the project knows to be secret (a secret variable of .env or of the environment, or one the scan found
    /// elsewhere) written literally in another file. Arguments: the variable, where its value comes from, what to write instead.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretValueCopied = new(
        "SBC2009", "Secret value written in a file", DiagnosticSeverity.Error,
        "The value of {0} ({1}) is written here, so the secret is committed (or built) with this file",
        "Refer to the variable instead of copying its value ({2}), and rotate the secret if this file was ever pushed or built into an image.");

    /// <summary>
    /// A build argument whose value holds a secret: build arguments are stored in the image's history and printed in
    /// build logs. Arguments: the argument, what it holds, the secret id to use.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretInBuildArg = new(
        "SBC2010", "Secret in a build argument", DiagnosticSeverity.Error,
        "The build argument {0} holds {1}; build arguments are kept in the image history (docker history) and in build logs",
        "Pass it as a BuildKit secret instead: <SbirContainerBuildSecret Include=\"{2}\" EnvironmentVariable=\"VARIABLE\" /> and read it in the Dockerfile with RUN --mount=type=secret,id={2}; remove the build argument.");

    /// <summary>A file the image will contain that is too large to scan. Arguments: size, limit.</summary>
    public static readonly DiagnosticDescriptor SecretScanSkipped = new(
        "SBC2011", "File not scanned for secrets", DiagnosticSeverity.Info,
        "This file is copied into the image but was not scanned for secrets: it is {0}, more than the {1} the scanner reads",
        "Keep large data out of the image (.dockerignore) and mount it at run time, or make sure it holds no secret.");

    /// <summary>The scan of one file stopped early (a bug); findings after that point may be missing. Argument: the error type.</summary>
    public static readonly DiagnosticDescriptor SecretScanIncomplete = new(
        "SBC2098", "Secret scan incomplete", DiagnosticSeverity.Warning,
        "The secret scan of this file stopped early ({0}); findings after that point may be missing",
        "This is a bug in the SDK: please report it with the shape of the file (not its secrets).");

    /// <summary>
    /// A finding silenced by <c>gitleaks:allow</c>, <c>pragma: allowlist secret</c> (same line),
    /// <c>pragma: allowlist nextline secret</c> (line before) or <c>trufflehog:ignore</c>; reported so suppressions stay visible.
    /// Arguments: the suppressed code, its title, the pragma.
    /// </summary>
    public static readonly DiagnosticDescriptor SecretSuppressed = new(
        "SBC2099", "Secret finding suppressed", DiagnosticSeverity.Info,
        "A {0} finding ({1}) on this line is suppressed by '{2}'",
        "Nothing to do if the value is not a secret; if it is, remove the comment and fix the finding.");

    /// <summary>The variable parts of the secret findings: where a value was found and what to write instead.</summary>
    internal static class SecretTexts
    {
        // Where (SBC2001 argument 3).
        public const string InComposeEnvironment = "the compose environment";
        public const string InComposeBuildArgs = "compose build args, which are stored in the image history";
        public const string InYaml = "a YAML file";
        public const string InComposeFile = "the compose file";
        public const string InWorkflow = "a workflow file";
        public const string InDockerfileEnv = "a Dockerfile ENV instruction, which is stored in the image";
        public const string InDockerfileArg = "a Dockerfile ARG default, which is stored in the image history";
        public const string InDockerfileLabel = "a Dockerfile LABEL, which is stored in the image";
        public const string InShell = "a shell script";
        public const string InDotenv = "a .env (KEY=value) file";
        public const string InCommand = "a command line";

        // A file the image will contain: added to every finding in it. {0} the instruction that copies it.
        public const string CopiedIntoImage = " The file is copied into the image ({0}), where anyone who can pull the image can read the secret.";

        // SBC2009, a known value in a file of no particular format. {0} the variable.
        public const string KnownValueVariable = "a reference to {0} (its value stays in the untracked .env or the environment)";

        // What to write instead. {0} key as written, {1} environment variable, {2} lower-case secret id, {3} prefix before the password.
        public const string ComposeMap = "'{0}: {3}${{{1}:?set {1} in .env}}'";
        public const string ComposeList = "'- {0}={3}${{{1}:?set {1} in .env}}'";
        public const string ComposeBuildSecret = "a build secret ('secrets: [{2}]' under build:, read with 'RUN --mount=type=secret,id={2}' in the Dockerfile)";
        public const string Workflow = "'{0}: {3}${{{{ secrets.{1} }}}}'";
        public const string ConfigYaml = "an empty '{0}:' here, with the value supplied at run time as {1} (from the untracked .env or a mounted secret)";
        public const string Dockerfile = "a BuildKit secret for build steps ('RUN --mount=type=secret,id={2} ...', which reads /run/secrets/{2}) and, for run time, {1} or {1}_FILE=/run/secrets/{2} set by compose (not ENV or ARG)";
        public const string Shell = "': \"${{{1}:?{1} is not set}}\"' to take it from the environment (or read the file named by {1}_FILE)";
        public const string Dotenv = "'{0}=' in committed files (the real value belongs only in the untracked .env; .env.example gets '{0}=change-me')";
        public const string ComposeCommandAssignment = "'{0}=$${{{1}}}' (the container's shell expands it)";
        public const string CommandAssignment = "'{0}=\"${1}\"' with {1} set in the environment at run time";

        // SBC2002: what to write instead of the default. {0} variable, {1} what precedes the password (neo4j/), {2} lower-case id.
        public const string RequiredVariable = "'{1}${{{0}:?set {0} in .env}}'";
        public const string ContainerVariable = "'{1}$${{{0}}}' (expanded by the container's shell), with {0} passed to the service under environment:";
        public const string ShellRequiredVariable = "'{1}${{{0}:?{0} is not set}}'";
        public const string DockerfileDefault = "no default ('{1}${{{0}}}') for run-time values, and a BuildKit secret ('RUN --mount=type=secret,id={2}') for build steps";

        // SBC2003. {0} scheme, {1} host, {2} variable.
        public const string UrlWithVariable = "'{0}://<user>:${{{2}:?set {2} in .env}}@{1}'";
        public const string UrlInContainerCommand = "'{0}://<user>:$${{{2}}}@{1}' (expanded by the container's shell)";

        // SBC2004 and SBC2007. {0} option as written, {1} variable.
        public const string ComposeCommandOption = "'{0} $${{{1}}}' (the doubled $ leaves the expansion to the container's shell, so the value is not in the compose file or the container configuration)";
        public const string CommandOption = "'{0} \"${1}\"' with {1} set in the environment at run time (a BuildKit secret for RUN steps)";
        public const string ComposeCurlUser = "'{0} <user>:$${{{1}}}' (expanded by the container's shell)";
        public const string CurlUser = "'{0} \"<user>:${1}\"' with {1} set in the environment at run time";
        public const string DockerLogin = "'--password-stdin' with the password piped in from a secret";
        public const string Sshpass = "'sshpass -e' with the password in the SSHPASS environment variable";
        public const string MysqlEnv = "no password option: set MYSQL_PWD in the environment, or use an option file ('--defaults-extra-file') mounted as a secret";
        public const string RedisEnv = "no -a option: set REDISCLI_AUTH in the environment (from a secret)";
        public const string CypherShellEnv = "no -p option: cypher-shell reads NEO4J_USERNAME and NEO4J_PASSWORD from its environment; otherwise {0}";
        public const string HostReferenceFix = "'$${{{0}}}'";

        // SBC2005: where to supply a credential from. {0}: nothing.
        public const string TokenFromWorkflowSecret = "from the repository's secrets ('${{ secrets.NAME }}')";
        public const string TokenFromSecretStore = "from the untracked .env, a compose secret or a BuildKit secret";

        // SBC2006: why a value looks real.
        public const string LooksLong = "20 characters or more";
        public const string LooksMixed = "it mixes letters with digits, capitals or symbols";
        public const string LooksLikeToken = "it has the format of a {0}";
        public const string ExamplePlaceholder = "'{0}={1}change-me'";
    }
}
