namespace Sbir.Container.Diagnostics;

// SBC0xxx: the SDK itself, its MSBuild properties and items, and config/docker.yaml as a file.
public static partial class DiagnosticCatalog
{
    /// <summary>A task hit an exception it did not expect. Never MSB4018: this is logged instead.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        "SBC0001", "Unexpected internal error", DiagnosticSeverity.Error,
        "Sbir.Container.Sdk hit an unexpected error in {0}: {1}",
        "This is a bug in the SDK: please report it with the command and this message; a binary log (-bl) helps, but it records environment variables and properties, so remove secrets from it before sharing.");

    /// <summary>The user cancelled the build (Ctrl+C) while a child process ran.</summary>
    public static readonly DiagnosticDescriptor Cancelled = new(
        "SBC0002", "Cancelled", DiagnosticSeverity.Error,
        "{0} was cancelled; the {1} process and its children were stopped",
        "Run the target again when ready; nothing partial was recorded as up to date.");

    /// <summary>A long-lived MSBuild process still runs the SDK's tasks from an assembly that was rebuilt since it loaded it.</summary>
    public static readonly DiagnosticDescriptor StaleTaskAssembly = new(
        "SBC0003", "Tasks rebuilt after this MSBuild process loaded them", DiagnosticSeverity.Error,
        "This MSBuild process loaded the SDK's tasks from {0} before that file was rebuilt; it would run the old tasks",
        "Stop MSBuild's reused processes with 'dotnet build-server shutdown' and build again, or build with -nodeReuse:false; to load the tasks in a fresh process every time (slower), set SbirContainerTasksOutOfProcess=true.");

    /// <summary>An image repository name that docker would reject.</summary>
    public static readonly DiagnosticDescriptor InvalidImageName = new(
        "SBC0010", "Invalid image name", DiagnosticSeverity.Error,
        "The image name '{0}' is not a valid repository name: {1}",
        "Set SbirContainerImageName (or container.image in config/docker.yaml) to lowercase letters, digits and the separators '.', '_', '__', '-' and '/', for example 'sbir-etl'.");

    /// <summary>A tag that docker would reject.</summary>
    public static readonly DiagnosticDescriptor InvalidImageTag = new(
        "SBC0011", "Invalid image tag", DiagnosticSeverity.Error,
        "The image tag '{0}' is not valid: a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'",
        "Fix SbirContainerImageTags (a semicolon-separated list, for example 'latest;1.2.0').");

    /// <summary>The Dockerfile does not exist.</summary>
    public static readonly DiagnosticDescriptor DockerfileNotFound = new(
        "SBC0012", "Dockerfile not found", DiagnosticSeverity.Error,
        "The Dockerfile '{0}' does not exist",
        "Create it, or set SbirDockerfile to its path (relative to the project directory).");

    /// <summary>The build context folder does not exist.</summary>
    public static readonly DiagnosticDescriptor ContextNotFound = new(
        "SBC0013", "Build context not found", DiagnosticSeverity.Error,
        "The build context folder '{0}' does not exist",
        "Set SbirContainerContext to an existing folder (relative to the project directory); the default is the project directory.");

    /// <summary>A SbirContainerBuildArg item that cannot be passed to docker.</summary>
    public static readonly DiagnosticDescriptor InvalidBuildArg = new(
        "SBC0014", "Invalid build argument", DiagnosticSeverity.Error,
        "The build argument '{0}' is not valid: {1}",
        "Give each SbirContainerBuildArg item a name of letters, digits and '_' and a Value metadata, for example <SbirContainerBuildArg Include=\"PYTHON_VERSION\" Value=\"3.11\" />.");

    /// <summary>A build argument whose name says it carries a secret.</summary>
    public static readonly DiagnosticDescriptor SecretAsBuildArg = new(
        "SBC0015", "Secret passed as a build argument", DiagnosticSeverity.Error,
        "The build argument '{0}' looks like a secret; build arguments are recorded in the image history and in logs",
        "Pass it as a BuildKit secret instead: <SbirContainerBuildSecret Include=\"{1}\" EnvironmentVariable=\"{0}\" /> and read it in the Dockerfile with RUN --mount=type=secret,id={1}.");

    /// <summary>A SbirContainerBuildSecret item with no usable source.</summary>
    public static readonly DiagnosticDescriptor InvalidBuildSecret = new(
        "SBC0016", "Invalid build secret", DiagnosticSeverity.Error,
        "The build secret '{0}' has no value: {1}",
        "Give the SbirContainerBuildSecret item an EnvironmentVariable metadata naming a variable set in the environment or in .env, or a File metadata naming an existing file.");

    /// <summary>A property whose value is not one of the allowed ones.</summary>
    public static readonly DiagnosticDescriptor InvalidPropertyValue = new(
        "SBC0017", "Invalid property value", DiagnosticSeverity.Error,
        "The property {0} has the value '{1}', which is not valid: it must be {2}",
        "Set {0} to a valid value (-p:{0}=...), or leave it unset for the default.");

    /// <summary>A target run without a property it cannot do without (raised by the targets themselves).</summary>
    public static readonly DiagnosticDescriptor RequiredPropertyMissing = new(
        "SBC0018", "Required property missing", DiagnosticSeverity.Error,
        "{0} needs the property {1}",
        "Set it, for example -p:{1}={2}.");

    /// <summary>The test image's tag is also a tag of the runtime image (raised by the targets themselves).</summary>
    public static readonly DiagnosticDescriptor TestTagCollision = new(
        "SBC0019", "Tag used by two images", DiagnosticSeverity.Error,
        "The tag '{0}' is both in SbirContainerImageTags and SbirTestImageTag: DockerTest would put the test image under the runtime image's tag",
        "Give one of them another tag, for example -p:SbirTestImageTag=test-stage.");

    /// <summary>config/docker.yaml could not be read as YAML.</summary>
    public static readonly DiagnosticDescriptor ConfigUnreadable = new(
        "SBC0020", "config/docker.yaml unreadable", DiagnosticSeverity.Error,
        "The container configuration could not be read: {0}",
        "Fix the YAML at the position shown; the format is described in docs/reference/docker-yaml.md.");

    /// <summary>config/docker.yaml has a value of the wrong shape.</summary>
    public static readonly DiagnosticDescriptor ConfigInvalid = new(
        "SBC0021", "config/docker.yaml invalid", DiagnosticSeverity.Error,
        "The container configuration is not valid: {0}",
        "Fix the value at the position shown; the format is described in docs/reference/docker-yaml.md and editors check it through the JSON Schema named in the file's first line.");

    /// <summary>SbirContainerBaseImage is set, but no FROM line takes its image from the argument it is passed as.</summary>
    public static readonly DiagnosticDescriptor BaseImageSettingUnused = new(
        "SBC0040", "Base image setting not used by the Dockerfile", DiagnosticSeverity.Warning,
        "SbirContainerBaseImage (or container.baseImage) is '{0}', but no FROM line uses the build argument {1} it is passed as{2}, so the image is built from '{3}' instead",
        "Declare 'ARG {1}={3}' before the first FROM and write 'FROM ${{{1}}}' on this line, or set SbirContainerBaseImageArg to the argument your FROM uses, or leave SbirContainerBaseImage and container.baseImage unset.");

    /// <summary>A compose profile is asked for, but the project has no compose file at all.</summary>
    public static readonly DiagnosticDescriptor NoComposeFile = new(
        "SBC0041", "No compose file", DiagnosticSeverity.Error,
        "The {0} profile needs a compose file, but the project has none: config/docker.yaml lists no compose.profiles and {1} holds no docker-compose.yml, docker-compose.yaml, compose.yml or compose.yaml",
        "Create docker-compose.yml in the project directory ('dotnet new sbir-container' makes a base file and a dev overlay), or list the files under compose.profiles.{0}.files in config/docker.yaml.");

    /// <summary>
    /// The in-repository sample's offline build needs a local base image that only root can make (raised by
    /// samples/sbir-etl/sbir-etl.proj; the text there follows this entry).
    /// </summary>
    public static readonly DiagnosticDescriptor LocalBaseImageNeedsRoot = new(
        "SBC0042", "Local base image needs root to be made", DiagnosticSeverity.Error,
        "The offline build needs the local base image {0}, and making it needs debootstrap run as root, which this build is not",
        "Run once: sudo {1} (it installs debootstrap with apt-get if needed), then build again; or set SbirContainerBaseImage to an image the engine has ('docker images').");

    /// <summary>eng/make-base-images.sh failed while the sample's build prepared its base image (raised by samples/sbir-etl/sbir-etl.proj).</summary>
    public static readonly DiagnosticDescriptor LocalBaseImageFailed = new(
        "SBC0043", "Local base image could not be made", DiagnosticSeverity.Error,
        "The local base image {0} could not be made (eng/make-base-images.sh exited with code {1})",
        "Read its lines above (make-base-images: ...) for the step that failed, fix it (usually: the Debian mirror must be reachable, DEBIAN_MIRROR chooses another), then build again; or set SbirContainerBaseImage to an image the engine has ('docker images').");

    /// <summary>More findings of one code in one file than the log shows (they are all in the SARIF file and the counts).</summary>
    public static readonly DiagnosticDescriptor FindingsNotShown = new(
        "SBC0031", "More findings not shown", DiagnosticSeverity.Info,
        "{0} more {1} findings in this file are not shown ({2} in all), the first of them here",
        "Fix the ones shown first (they often share one cause), or see every finding in SARIF: -p:SbirContainerSarifOutput=obj/container-validate.sarif.")
    {
        ShownAtMinimalVerbosity = true,
    };

    /// <summary>The project is not in a git repository, so some OCI labels are left out.</summary>
    public static readonly DiagnosticDescriptor NoGitRevision = new(
        "SBC0030", "No git revision for OCI labels", DiagnosticSeverity.Info,
        "No git revision was found for {0}; the image gets no org.opencontainers.image.revision and .source labels",
        "Build from a git clone, or set SbirContainerRevision and SbirContainerSourceUrl.");
}
