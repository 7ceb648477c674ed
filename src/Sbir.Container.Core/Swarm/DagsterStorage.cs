using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Swarm;

/// <summary>Where a Dagster instance keeps its runs, schedules and event logs.</summary>
public enum DagsterStorageKind
{
    /// <summary>SQLite files under DAGSTER_HOME: Dagster's default, for the processes of one host.</summary>
    Sqlite,

    /// <summary>A database server (Postgres, or MySQL) that processes on every node can reach.</summary>
    Database,
}

/// <summary>What dagster.yaml says about storage, and where it says it.</summary>
/// <param name="Kind">SQLite or a database server.</param>
/// <param name="File">The dagster.yaml read, or null when there is none (Dagster then uses SQLite).</param>
/// <param name="Span">The storage setting's position, or none.</param>
/// <param name="Describe">How the storage was found, for messages ("storage: sqlite in dagster.yaml").</param>
public sealed record DagsterStorage(DagsterStorageKind Kind, string? File, SourceSpan Span, string Describe)
{
    /// <summary>The names dagster.yaml is looked for under, in the project folder, when SbirStackDagsterConfig is not set.</summary>
    public static readonly IReadOnlyList<string> ConventionalPaths = ["dagster.yaml", "dagster_home/dagster.yaml", "config/dagster.yaml", "docker/dagster.yaml"];

    /// <summary>
    /// Reads the storage of <paramref name="path"/>. Dagster's rules (docs.dagster.io, "Dagster instance
    /// configuration" and the dagster-postgres / dagster-mysql API pages): <c>storage:</c> with a
    /// <c>postgres</c> or <c>mysql</c> key puts every store in that database; the older per-store keys
    /// <c>run_storage</c>, <c>event_log_storage</c> and <c>schedule_storage</c> name a module
    /// (<c>dagster_postgres...</c>, <c>dagster_mysql...</c>), and only when all three do is nothing left on the
    /// local disk; with no file, an empty file or neither key, Dagster keeps SQLite files under DAGSTER_HOME.
    /// </summary>
    public static (DagsterStorage Storage, Diagnostic? Error) Read(string? path)
    {
        if (path is null || !System.IO.File.Exists(path))
        {
            return (new DagsterStorage(DagsterStorageKind.Sqlite, null, SourceSpan.None, "no dagster.yaml, so Dagster's default"), null);
        }

        // One file-opening path for every reader: a FIFO, a device or an oversize file is a coded error, never a hang.
        var content = IO.SafeFile.Read(path);
        if (!content.Succeeded)
        {
            return (new DagsterStorage(DagsterStorageKind.Sqlite, path, SourceSpan.None, "unreadable dagster.yaml"), content.Error);
        }

        string text = content.Text;

        var (stream, error) = YamlLoader.Load(text, path, DiagnosticCatalog.StackDagsterConfigUnreadable);
        if (stream is null)
        {
            return (new DagsterStorage(DagsterStorageKind.Sqlite, path, SourceSpan.None, "unreadable dagster.yaml"), error);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (new DagsterStorage(DagsterStorageKind.Sqlite, path, SourceSpan.None, "an empty dagster.yaml, so Dagster's default"), null);
        }

        if (root.Child("storage") is YamlMappingNode storage)
        {
            var key = storage.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault();
            bool database = key?.Value is "postgres" or "mysql";
            return (new DagsterStorage(database ? DagsterStorageKind.Database : DagsterStorageKind.Sqlite, path, YamlNodes.SpanOf(root.KeyNode("storage")!), $"storage: {key?.Value ?? "(empty)"} in dagster.yaml"), null);
        }

        string[] stores = ["run_storage", "event_log_storage", "schedule_storage"];
        var modules = stores.Select(s => (Store: s, Module: (root.Child(s) as YamlMappingNode)?.Child("module").Text())).ToList();
        var local = modules.FirstOrDefault(m => m.Module is null || !(m.Module.StartsWith("dagster_postgres", StringComparison.Ordinal) || m.Module.StartsWith("dagster_mysql", StringComparison.Ordinal)));
        if (local.Store is null)
        {
            return (new DagsterStorage(DagsterStorageKind.Database, path, YamlNodes.SpanOf(root.KeyNode("run_storage")!), "run, event log and schedule storage in a database"), null);
        }

        var at = root.KeyNode(local.Store);
        return (new DagsterStorage(DagsterStorageKind.Sqlite, path, at is null ? SourceSpan.None : YamlNodes.SpanOf(at), at is null ? $"no storage: and no {local.Store} in dagster.yaml, so SQLite" : $"{local.Store} on the local disk"), null);
    }

    /// <summary>The dagster.yaml to read: <paramref name="setting"/> when given, else the first conventional path that exists.</summary>
    public static string? Locate(string projectDirectory, string? setting)
        => !string.IsNullOrWhiteSpace(setting)
            ? Path.GetFullPath(setting, projectDirectory)
            : ConventionalPaths.Select(p => Path.Combine(projectDirectory, p)).FirstOrDefault(System.IO.File.Exists);
}
