namespace Sbir.Container.Diagnostics;

// SBC522x: the dev profile. SBC5220 to SBC5222 are logged by the sample image's scripts
// (samples/sbir-etl/scripts/docker: lib.sh's sbir_drop_privileges, reload.py) as the "code" field of a
// JSON log line, as SBC531x are; ComposeUp shows such a line among a service's last log lines. SBC5223 is
// ContainerValidate's, at the line of the compose file.
public static partial class DiagnosticCatalog
{
    /// <summary>SBIR_HOST_USER is not a numeric uid:gid.</summary>
    public static readonly DiagnosticDescriptor EntrypointHostUserInvalid = new(
        "SBC5220", "Host user not a uid:gid", DiagnosticSeverity.Error,
        "The container's entrypoint was started as root to run the service as the host user SBIR_HOST_USER, but its value is not a numeric uid:gid (the line's value field has it), so it stopped before anything ran",
        "Set SBIR_HOST_USER to the uid:gid of the user who owns the bind-mounted folders, for example SBIR_HOST_USER=\"$(id -u):$(id -g)\" (ComposeUp and ComposeRun set it to their caller unless .env or the environment sets it), or leave it empty to run as the image's user.");

    /// <summary>A file changed in the dev profile does not compile.</summary>
    public static readonly DiagnosticDescriptor ReloadSyntaxError = new(
        "SBC5221", "Changed file does not compile", DiagnosticSeverity.Error,
        "The dev profile's code reload (scripts/docker/reload.py) found a syntax error in a Python file that just changed (the line's file, line and error fields say where); the service restarts with it and will not load it",
        "Fix the file: the service restarts at the next change of a watched file.");

    /// <summary>The service exited after a reload.</summary>
    public static readonly DiagnosticDescriptor ReloadServiceExited = new(
        "SBC5222", "Service exited after a reload", DiagnosticSeverity.Error,
        "The service the dev profile's code reload restarted exited by itself (the line's status field has its exit status); the lines before it say why, for example SBC5312 for a code location that no longer imports",
        "Fix what those lines show and save: the next change of a file under src/ or config/ starts the service again.");

    /// <summary>x-sbir-environment-prefix with an unusable value.</summary>
    public static readonly DiagnosticDescriptor ComposeEnvironmentPrefixInvalid = new(
        "SBC5223", "Invalid environment prefix", DiagnosticSeverity.Error,
        "x-sbir-environment-prefix of service '{0}' is {1}, which is not the start of a variable name, so no variable would reach the service through it",
        "Give the prefix as a string of letters, digits and underscores, as the contract's environment.prefix is (for example x-sbir-environment-prefix: SBIR_ETL__), or remove the line.");
}
