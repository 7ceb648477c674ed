namespace Sbir.Container.Diagnostics;

// SBC531x: logged by the sample image's entrypoint scripts (samples/sbir-etl/scripts/docker/lib.sh,
// sbir_dagster_preflight) as the "code" field of a JSON log line, before a Dagster process would start
// with a setup that Dagster refuses. The script exits 2; ComposeUp then shows the line among the
// service's last log lines (SBC5204). The scripts word the message for their case; this is the catalogue
// entry a code in a log line leads to.
public static partial class DiagnosticCatalog
{
    /// <summary>No code location: DAGSTER_MODULE_NAME empty, no argument, nothing Dagster finds in the working directory.</summary>
    public static readonly DiagnosticDescriptor EntrypointNoCodeLocation = new(
        "SBC5310", "No Dagster code location", DiagnosticSeverity.Error,
        "The container's entrypoint found no Dagster code location: DAGSTER_MODULE_NAME is empty, no argument names one, and the working directory has neither [tool.dagster] in pyproject.toml nor workspace.yaml (Dagster would stop with 'No arguments given and no [tool.dagster] block in pyproject.toml found')",
        "Set DAGSTER_MODULE_NAME to the module that holds your Definitions (the sample's image sets sbir_etl.definitions), or pass -m, -f or -w to the service.");

    /// <summary>DAGSTER_HOME unset, relative, missing or not writable.</summary>
    public static readonly DiagnosticDescriptor EntrypointDagsterHome = new(
        "SBC5311", "DAGSTER_HOME unusable", DiagnosticSeverity.Error,
        "The container's entrypoint found DAGSTER_HOME unset, not absolute, not an existing directory, or not writable by the container's user; Dagster refuses the first three and cannot write its storage in the last",
        "Use the image's DAGSTER_HOME (/app/dagster_home, with its dagster.yaml), or an absolute directory the user owns; give a mounted volume to that user (chown), or run as the image's user.");

    /// <summary>The code location's module does not import.</summary>
    public static readonly DiagnosticDescriptor EntrypointCodeLocationImport = new(
        "SBC5312", "Code location does not import", DiagnosticSeverity.Error,
        "The container's entrypoint could not import the Dagster code location (DAGSTER_MODULE_NAME or -m); the log line's reason field has Python's last line, such as a library the runtime image lacks",
        "Fix the module or add what it needs to the runtime stage; DockerTest's runtime smoke test (dagster definitions validate in the runtime image) catches this before a deployment.");

    /// <summary>Two code locations: an argument such as -w while DAGSTER_MODULE_NAME is set.</summary>
    public static readonly DiagnosticDescriptor EntrypointTwoCodeLocations = new(
        "SBC5313", "Two code locations", DiagnosticSeverity.Error,
        "The service was given a code location argument (-w, -f, --package-name, --grpc-port or --grpc-socket) while DAGSTER_MODULE_NAME, Dagster's variable for -m, names one too; Dagster refuses this as an invalid set of arguments",
        "Drop the argument to use the image's code location, or set DAGSTER_MODULE_NAME to an empty value for that service.");
}
