namespace Sbir.Container.Diagnostics;

// SBC31xx: rules about the content of the Dockerfile, checked by Sbir.Container.Dockerfile.Rules.DockerfileRules.
// Where a rule matches a hadolint rule, HelpId names it, the message mentions it, and
// '# hadolint ignore=DLxxxx' suppresses it as well as '# hadolint ignore=SBC31xx'.
public static partial class DiagnosticCatalog
{
    /// <summary>The final stage runs as root: no USER at all, or the last USER is root.</summary>
    public static readonly DiagnosticDescriptor DockerfileFinalStageRunsAsRoot = new(
        "SBC3101", "Final stage runs as root", DiagnosticSeverity.Error,
        "The final stage '{0}' runs as root: {1} (hadolint DL3002)",
        "Create an unprivileged user with fixed ids in the stage (groupadd --gid 1000 app && useradd --uid 1000 --gid app --no-log-init app) and end the stage with 'USER app'; give it its files with COPY --chown=app:app.",
        "DL3002");

    /// <summary>The final stage's ENTRYPOINT does not start tini.</summary>
    public static readonly DiagnosticDescriptor DockerfileNoTini = new(
        "SBC3102", "Final stage does not start tini", DiagnosticSeverity.Warning,
        "The final stage '{0}' does not start tini as PID 1: its ENTRYPOINT {1}. The application then runs as PID 1, where it does not reap zombie processes and ignores SIGTERM unless it installs a handler",
        "Install tini in the stage (apt-get install -y --no-install-recommends tini) and start it first: ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/app/entrypoint.sh\"].");

    /// <summary>ENTRYPOINT or CMD in shell form.</summary>
    public static readonly DiagnosticDescriptor DockerfileShellForm = new(
        "SBC3103", "ENTRYPOINT or CMD in shell form", DiagnosticSeverity.Warning,
        "{0} is in shell form, so docker runs it through /bin/sh -c: the shell is the process that receives SIGTERM, not the application (hadolint DL3025)",
        "Write it in exec form, a JSON array: {0} [\"executable\", \"argument\"]; put shell logic in a script and name the script.",
        "DL3025");

    /// <summary>HEALTHCHECK CMD in shell form.</summary>
    public static readonly DiagnosticDescriptor DockerfileHealthcheckShellForm = new(
        "SBC3104", "HEALTHCHECK CMD in shell form", DiagnosticSeverity.Warning,
        "HEALTHCHECK CMD is in shell form, so every check starts /bin/sh -c and fails if the image has no shell (hadolint DL3025)",
        "Write it in exec form: HEALTHCHECK CMD [\"/app/scripts/docker/healthcheck.sh\"].",
        "DL3025");

    /// <summary>The final stage has no HEALTHCHECK (or HEALTHCHECK NONE).</summary>
    public static readonly DiagnosticDescriptor DockerfileNoHealthcheck = new(
        "SBC3105", "No HEALTHCHECK in the final stage", DiagnosticSeverity.Warning,
        "The final stage '{0}' has no HEALTHCHECK (or turns it off with HEALTHCHECK NONE), so docker cannot tell when the service is ready, and depends_on: condition: service_healthy never passes unless the compose service defines a healthcheck: (hadolint DL3057)",
        "Add one HEALTHCHECK in exec form to the final stage, for example HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD [\"/app/scripts/docker/healthcheck.sh\"].",
        "DL3057");

    /// <summary>More than one HEALTHCHECK in a stage.</summary>
    public static readonly DiagnosticDescriptor DockerfileMultipleHealthchecks = new(
        "SBC3106", "More than one HEALTHCHECK", DiagnosticSeverity.Error,
        "Stage '{0}' has more than one HEALTHCHECK: this one replaces the one at line {1} (hadolint DL3012)",
        "Keep a single HEALTHCHECK per stage and delete the others.",
        "DL3012");

    /// <summary>A compiler, build-essential or a -dev header package installed in the final stage.</summary>
    public static readonly DiagnosticDescriptor DockerfileBuildToolsInFinalStage = new(
        "SBC3107", "Build tools in the final stage", DiagnosticSeverity.Error,
        "'{0}' is installed in {1}, so the product image ships a compiler or header files it does not need at run time",
        "Install build tools in a builder stage only and copy the results (a virtual environment, wheels) into the final stage with COPY --from=builder; or remove them in the same RUN (apt-get purge -y --auto-remove {0}).");

    /// <summary>COPY --from of a compiler or header directory into the final stage.</summary>
    public static readonly DiagnosticDescriptor DockerfileToolchainCopied = new(
        "SBC3108", "Compiler files copied into the final stage", DiagnosticSeverity.Error,
        "COPY --from={0} copies '{1}' into the final stage '{2}', which brings compiler or header files into the product image",
        "Copy only what the application needs at run time, for example the virtual environment: COPY --from={0} /app/.venv /app/.venv.");

    /// <summary>apt-get install without --no-install-recommends.</summary>
    public static readonly DiagnosticDescriptor DockerfileAptRecommends = new(
        "SBC3109", "apt-get install without --no-install-recommends", DiagnosticSeverity.Warning,
        "apt-get install without --no-install-recommends also installs every recommended package, which makes the image larger (hadolint DL3015)",
        "Add --no-install-recommends: apt-get install -y --no-install-recommends <packages>.",
        "DL3015");

    /// <summary>apt-get install without -y.</summary>
    public static readonly DiagnosticDescriptor DockerfileAptNoYes = new(
        "SBC3110", "apt-get install without -y", DiagnosticSeverity.Warning,
        "apt-get install without -y asks for confirmation, and a build has no one to answer it (hadolint DL3014)",
        "Add -y: apt-get install -y --no-install-recommends <packages>.",
        "DL3014");

    /// <summary>apt-get update without removing /var/lib/apt/lists in the same RUN.</summary>
    public static readonly DiagnosticDescriptor DockerfileAptListsKept = new(
        "SBC3111", "apt lists not removed", DiagnosticSeverity.Warning,
        "{0} update downloads the package lists to /var/lib/apt/lists, and this RUN does not remove them, so they stay in the layer of stage '{1}' (hadolint DL3009)",
        "End the same RUN with '&& rm -rf /var/lib/apt/lists/*', or keep the lists out of the layer with RUN --mount=type=cache,target=/var/lib/apt,sharing=locked.",
        "DL3009");

    /// <summary>apt instead of apt-get.</summary>
    public static readonly DiagnosticDescriptor DockerfileAptNotAptGet = new(
        "SBC3112", "apt instead of apt-get", DiagnosticSeverity.Warning,
        "'apt' is meant for people at a terminal: its command-line interface is not stable and it warns when used in scripts (hadolint DL3027)",
        "Use apt-get (or apt-cache) instead: apt-get install -y --no-install-recommends <packages>.",
        "DL3027");

    /// <summary>FROM without a tag.</summary>
    public static readonly DiagnosticDescriptor DockerfileBaseImageUntagged = new(
        "SBC3113", "Base image without a tag", DiagnosticSeverity.Warning,
        "The base image {0} has no tag, so the build uses whatever 'latest' is on the day it runs (hadolint DL3006)",
        "Name a version: FROM {1}:<version>, for example python:3.11-slim; the SDK passes SbirContainerBaseImage to an ARG used in FROM.",
        "DL3006");

    /// <summary>FROM with the latest tag.</summary>
    public static readonly DiagnosticDescriptor DockerfileBaseImageLatest = new(
        "SBC3114", "Base image tagged latest", DiagnosticSeverity.Warning,
        "The base image {0} uses the tag 'latest', which moves to a new image at any time, so two builds of the same commit can differ (hadolint DL3007)",
        "Name a version instead of latest, for example python:3.11-slim, and pin it by digest for reproducible builds.",
        "DL3007");

    /// <summary>FROM without a digest when digests are required.</summary>
    public static readonly DiagnosticDescriptor DockerfileBaseImageNotDigestPinned = new(
        "SBC3115", "Base image not pinned by digest", DiagnosticSeverity.Warning,
        "The base image {0} is not pinned by digest, and a tag can be moved to another image",
        "Append the digest: FROM {1}@sha256:<digest> ('docker buildx imagetools inspect {1}' prints it); or set container.requireDigest: false in config/docker.yaml if tags are enough for this project.");

    /// <summary>FROM uses an ARG that has no value.</summary>
    public static readonly DiagnosticDescriptor DockerfileBaseImageUnresolved = new(
        "SBC3116", "Base image uses an ARG without a value", DiagnosticSeverity.Warning,
        "FROM {0} uses {1}, which has no value here (no ARG {2} with a default before the first FROM and no build argument {2}), so the base image cannot be checked and docker would see an empty name",
        "Declare it with a default before the first FROM (ARG {2}=python:3.11-slim) or pass it as a build argument (an SbirContainerBuildArg item named {2}).");

    /// <summary>COPY --from or RUN --mount from= names no earlier stage.</summary>
    public static readonly DiagnosticDescriptor DockerfileUnknownStageReference = new(
        "SBC3117", "Reference to an unknown stage", DiagnosticSeverity.Error,
        "'{0}' names no stage defined before this instruction and is not an image reference (hadolint DL3022)",
        "Use the name (FROM ... AS {1}) or the index of an earlier stage, or a full image reference with a tag (image:tag) for an external image.",
        "DL3022");

    /// <summary>COPY --from or RUN --mount from= names its own stage.</summary>
    public static readonly DiagnosticDescriptor DockerfileSelfStageReference = new(
        "SBC3118", "Stage references itself", DiagnosticSeverity.Error,
        "'{0}' names the stage it is in, and a stage cannot copy from itself (hadolint DL3023)",
        "Copy from an earlier stage, or use a plain COPY/RUN for files already in this stage.",
        "DL3023");

    /// <summary>Two stages with the same name.</summary>
    public static readonly DiagnosticDescriptor DockerfileDuplicateStageName = new(
        "SBC3119", "Duplicate stage name", DiagnosticSeverity.Error,
        "The stage name '{0}' is already used by the stage at line {1} (hadolint DL3024)",
        "Give each stage its own name after AS; COPY --from and --target pick stages by name.",
        "DL3024");

    /// <summary>The source is copied before the dependencies are installed.</summary>
    public static readonly DiagnosticDescriptor DockerfileSourceBeforeDependencies = new(
        "SBC3120", "Source copied before the dependencies are installed", DiagnosticSeverity.Warning,
        "'{0}' is copied before the dependency install at line {1}, so every change to the source invalidates the layer cache and the dependencies are installed again on every build",
        "Copy only the dependency manifests first (COPY pyproject.toml poetry.lock ./), install the dependencies without the project (poetry install --no-root, uv sync --no-install-project, pip install -r requirements.txt), then copy the source.");

    /// <summary>
    /// Retired: the secret scan reports these values (SBC2001), one finding per value, instead of two rules on one line.
    /// Kept so that codes are never reused and rules: entries naming it stay valid.
    /// </summary>
    public static readonly DiagnosticDescriptor DockerfileSecretInArgOrEnv = new(
        "SBC3121", "Secret in ARG or ENV (retired)", DiagnosticSeverity.Error,
        "{0} {1} has a literal value of {2} characters and its name says it holds a secret; the value is stored in the image metadata and history, readable by anyone who can pull the image (hadolint DL3064)",
        "No longer reported: ContainerValidate reports a secret-named ARG or ENV with a literal value as SBC2001 (set its severity under rules: with SBC2001).",
        "DL3064");

    /// <summary>Retired: the secret scan reports these values (SBC2001 for NEO4J_AUTH, SBC2003 for URLs). Kept so that codes are never reused.</summary>
    public static readonly DiagnosticDescriptor DockerfileCredentialsInValue = new(
        "SBC3122", "Credentials in an ARG or ENV value (retired)", DiagnosticSeverity.Error,
        "{0} {1} has a value of {2} characters shaped like credentials ({3}); it is stored in the image metadata and history (hadolint DL3064 checks names only)",
        "No longer reported: ContainerValidate reports a user/password of NEO4J_AUTH as SBC2001 and a URL with a password as SBC2003.",
        "DL3064");

    /// <summary>RUN chown -R of files copied earlier.</summary>
    public static readonly DiagnosticDescriptor DockerfileRecursiveChown = new(
        "SBC3123", "Recursive chown of copied files", DiagnosticSeverity.Warning,
        "RUN chown -R '{0}' writes every file copied there into a new layer, so those files are stored twice in the image",
        "Set the owner while copying (COPY --chown=user:group src dest) and create empty directories with 'install -d -o user -g group dir' instead of a separate chown layer.");

    /// <summary>sudo in RUN.</summary>
    public static readonly DiagnosticDescriptor DockerfileSudo = new(
        "SBC3124", "sudo in RUN", DiagnosticSeverity.Warning,
        "RUN uses sudo: RUN already runs as the current USER, and sudo left in the image is a way back to root (hadolint DL3004)",
        "Run the command while the stage is still root (before USER), or switch with 'USER root' and back, and drop sudo.",
        "DL3004");

    /// <summary>Relative WORKDIR.</summary>
    public static readonly DiagnosticDescriptor DockerfileRelativeWorkdir = new(
        "SBC3125", "Relative WORKDIR", DiagnosticSeverity.Warning,
        "WORKDIR '{0}' is relative, so where it points depends on the WORKDIR of the base image (hadolint DL3000)",
        "Use an absolute path, for example WORKDIR /app.",
        "DL3000");

    /// <summary>pip or uv installing with its download cache kept in the layer.</summary>
    public static readonly DiagnosticDescriptor DockerfilePipCache = new(
        "SBC3126", "Package cache kept in the layer", DiagnosticSeverity.Warning,
        "'{0}' keeps its download cache in the image layer (hadolint DL3042)",
        "Add {1}, set ENV {2}=1 in the stage, or use a cache mount: RUN --mount=type=cache,target={3} ...",
        "DL3042");

    /// <summary>An executable downloaded with curl or wget and not verified.</summary>
    public static readonly DiagnosticDescriptor DockerfileUnverifiedDownload = new(
        "SBC3127", "Executable downloaded without verification", DiagnosticSeverity.Warning,
        "{0} downloads an executable ({1}) and the RUN does not verify a checksum or signature, so a changed or compromised download goes unnoticed",
        "Install it from the distribution's packages where there is one (apt-get install -y --no-install-recommends gosu), or verify the file in the same RUN: echo \"<sha256>  <file>\" | sha256sum -c -.");

    /// <summary>A Poetry pin older than the format of poetry.lock: it misreads the lock.</summary>
    public static readonly DiagnosticDescriptor DockerfilePoetryOlderThanLockFormat = new(
        "SBC3128", "Poetry older than the lock file format", DiagnosticSeverity.Error,
        "{0} installs Poetry {1}, but {6} has lock-version {2}, a format Poetry writes from {3} on{4}; an older Poetry reads it with only a warning and ignores what it does not know (such as the per-package markers and groups of format 2.1), so the image can get other packages than the lock names",
        "Pin Poetry {5} or newer here (for example ARG POETRY_VERSION={5}), or regenerate the lock with the pinned Poetry (poetry lock) and commit it.");

    /// <summary>A Poetry pin older than the Poetry that wrote poetry.lock.</summary>
    public static readonly DiagnosticDescriptor DockerfilePoetryOlderThanLockWriter = new(
        "SBC3129", "Poetry older than the lock's writer", DiagnosticSeverity.Warning,
        "{0} installs Poetry {1}, older than Poetry {2}, which wrote {4} (lock-version {3})",
        "Pin the Poetry that wrote the lock (for example ARG POETRY_VERSION={2}), so that the image installs exactly what the lock was made with; or regenerate the lock with the pinned Poetry (poetry lock).");

    /// <summary>A rule suppressed by a pragma: reported so that suppressions stay visible.</summary>
    public static readonly DiagnosticDescriptor DockerfileRuleSuppressed = new(
        "SBC3199", "Rule suppressed by pragma", DiagnosticSeverity.Info,
        "{0} is suppressed here by '# {1}'",
        "Remove the pragma once its reason no longer holds, and keep the reason next to it ('# hadolint ignore=DL3015 # why') for reviewers.");
}
