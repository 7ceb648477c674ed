namespace Sbir.Container.TestKit;

/// <summary>
/// The sample application as the end-to-end tests build it: the sample's own Dockerfile,
/// .dockerignore, entrypoint scripts, configuration, sources and tests (copied from samples/sbir-etl
/// at test time, so nothing can drift), around the sample's dependency-free twin manifests
/// (samples/sbir-etl/offline), because PyPI cannot be reached from the test machines.
/// </summary>
public static class OfflineApp
{
    /// <summary>Files of the sample every test build uses.</summary>
    public static readonly string[] SampleFiles =
        ["Dockerfile", ".dockerignore", ".gitignore", ".env.example", "README.md", "docker-compose.yml", "docker", "scripts/docker", "config", "dagster_home", "src", "tests"];

    /// <summary>Writes the offline app into <paramref name="repo"/>.</summary>
    public static void WriteInto(TestRepository repo)
    {
        repo.CopyFromSample(SampleFiles);
        string offline = Path.Combine(RepoPaths.Sample, "offline");
        repo.Write("pyproject.toml", File.ReadAllText(Path.Combine(offline, "pyproject.toml")));
        repo.Write("poetry.lock", File.ReadAllText(Path.Combine(offline, "poetry.lock")));
    }
}
