using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Registry;

namespace Sbir.Container.Tasks;

/// <summary>
/// Pushes the runtime image under every tag (DockerPush) with the docker CLI's own credentials,
/// reports its registry digest (file and output item) and writes its package list (CycloneDX) beside it.
/// </summary>
public sealed class PushImage : SbirTask
{
    /// <summary>The project directory.</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The registry prefix (SbirContainerRegistry).</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The image name (SbirContainerImageName).</summary>
    [Required] public string ImageName { get; set; } = string.Empty;

    /// <summary>The tags (SbirContainerImageTags).</summary>
    public string[] ImageTags { get; set; } = [];

    /// <summary>Folder of the digest and SBOM files (obj/SbirContainer/).</summary>
    [Required] public string StateDirectory { get; set; } = string.Empty;

    /// <summary>The docker CLI.</summary>
    public string DockerCli { get; set; } = "docker";

    /// <summary>Write the package list (SbirContainerGenerateSbom).</summary>
    public bool GenerateSbom { get; set; } = true;

    /// <summary>The pushed image: Include = repository@digest; metadata Digest, Tags, DigestFile, SbomFile.</summary>
    [Output] public ITaskItem? PushedImage { get; private set; }

    /// <summary>The registry digest.</summary>
    [Output] public string Digest { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        if (string.IsNullOrWhiteSpace(Registry))
        {
            Diagnostics.Log(DiagnosticCatalog.RegistryNotSet.Create("DockerPush"));
            return;
        }

        var probe = await new EngineProbe(ProcessRunner, Environment).ProbeAsync(DockerCli, ProjectDirectory, BuilderPreference.Auto, CancellationToken).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            Diagnostics.Log(probe.Error!);
            return;
        }

        // The stored credential is only masked here; docker push reads it itself.
        string repository = ImageReference.Qualify(Registry, ImageName.Trim());
        var credential = await new RegistryCredentials(ProcessRunner, Environment).GetAsync(RegistryReference.Parse(repository).Host, CancellationToken).ConfigureAwait(false);
        Masker.Add(credential?.Secret);

        var tags = ImageTags.Select(t => t.Trim()).Where(t => t.Length > 0).DefaultIfEmpty("latest").Distinct(StringComparer.Ordinal).ToList();
        var references = tags.Select(t => $"{repository}:{t}").ToList();
        var docker = new Engine.DockerCli(probe.Engine!.CliPath, ProcessRunner);
        string stateDirectory = FullPath(StateDirectory, ProjectDirectory);
        string digestFile = ImagePusher.DigestFile(stateDirectory, repository);
        var result = await new ImagePusher(docker, new Progress(this)).PushAsync(references, digestFile, CancellationToken).ConfigureAwait(false);
        LogDiagnostics(result.Diagnostics);
        if (!result.Succeeded)
        {
            return;
        }

        Digest = result.Digest!;
        var item = new TaskItem($"{repository}@{result.Digest}");
        item.SetMetadata("Digest", result.Digest);
        item.SetMetadata("Tags", string.Join(';', tags));
        item.SetMetadata("DigestFile", result.DigestFile);

        if (GenerateSbom)
        {
            var (packages, problem) = await PackageInventory.ReadAsync(docker, references[0], CancellationToken).ConfigureAwait(false);
            if (packages is null)
            {
                Diagnostics.Log(DiagnosticCatalog.SbomUnavailable.Create(references[0], problem));
            }
            else
            {
                string sbom = Path.ChangeExtension(digestFile, ".sbom.cdx.json");
                PackageInventory.Write(sbom, repository, result.Digest, packages, DateTimeOffset.UtcNow);
                item.SetMetadata("SbomFile", sbom);
            }
        }

        PushedImage = item;
        Diagnostics.Message($"DockerPush: pushed {string.Join(", ", references)} as {repository}@{result.Digest} (digest in {Path.GetRelativePath(ProjectDirectory, result.DigestFile!)}).", MessageImportance.High);
    }

    private sealed class Progress(PushImage task) : IBuildProgress
    {
        public void Status(string message) => task.Diagnostics.Message(message, MessageImportance.Normal);

        public void Output(string line) => task.Diagnostics.Message(line, MessageImportance.Normal);
    }
}
