using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Tasks;

/// <summary>
/// Computes the OCI labels of the image from git and the project: revision, source, created,
/// version, title. Labels the user already set (SbirContainerLabel items) are left alone.
/// </summary>
public sealed class ComputeContainerLabels : SbirTask
{
    /// <summary>The project directory; git is asked from here.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>org.opencontainers.image.title.</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>org.opencontainers.image.version; empty takes the version in pyproject.toml.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>org.opencontainers.image.description.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Overrides the revision read from git.</summary>
    public string Revision { get; set; } = string.Empty;

    /// <summary>Overrides the source URL read from the origin remote.</summary>
    public string SourceUrl { get; set; } = string.Empty;

    /// <summary>Labels already set by the user (Include = key, Value = value).</summary>
    public ITaskItem[] ExistingLabels { get; set; } = [];

    /// <summary>The labels to add, as items with a Value metadata.</summary>
    [Output] public ITaskItem[] Labels { get; private set; } = [];

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        var existing = new HashSet<string>(ExistingLabels.Select(l => l.ItemSpec), StringComparer.Ordinal);
        var labels = new List<ITaskItem>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !existing.Contains(key))
            {
                var item = new TaskItem(key);
                item.SetMetadata("Value", value);
                labels.Add(item);
            }
        }

        string revision = Revision;
        string source = SourceUrl;
        if (revision.Length == 0 || source.Length == 0)
        {
            var git = await GitInfo.ReadAsync(ProcessRunner, ProjectDirectory, Environment.Path, CancellationToken).ConfigureAwait(false);
            if (git is null && revision.Length == 0)
            {
                Diagnostics.Log(DiagnosticCatalog.NoGitRevision.Create(ProjectDirectory));
            }

            revision = revision.Length > 0 ? revision : git?.Revision ?? string.Empty;
            source = source.Length > 0 ? source : git?.SourceUrl ?? string.Empty;
        }

        Add(OciLabels.Revision, revision);
        Add(OciLabels.Source, GitInfo.ToBrowsableUrl(source));
        Add(OciLabels.Created, OciLabels.CreatedTimestamp(Environment.Get("SOURCE_DATE_EPOCH"), DateTimeOffset.UtcNow));
        // A Python project has no MSBuild Version: take pyproject.toml's.
        string version = Version.Length > 0 ? Version : Project.PyProject.Read(Path.Combine(ProjectDirectory, "pyproject.toml")).Version ?? string.Empty;
        Add(OciLabels.Version, version);
        Add(OciLabels.Title, Title);
        Add(OciLabels.Description, Description);
        Labels = labels.ToArray();
    }
}
