using Microsoft.Build.Framework;

namespace Sbir.Container.Tasks.Tests;

/// <summary>
/// A build argument of config/docker.yaml that holds a secret never becomes an MSBuild item value: MSBuild logs every
/// task output and parameter at -v:diag and in binary logs, so ReadContainerConfig hands it on withheld.
/// </summary>
public sealed class BuildArgItemTests : IDisposable
{
    private const string Secret = "Task-Level-Secret-5mZ";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbir-tasks-" + Guid.NewGuid().ToString("N")[..8]);

    public BuildArgItemTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "config"));
        File.WriteAllText(Path.Combine(_dir, ".env"), $"NEO4J_PASSWORD={Secret}\n");
        File.WriteAllText(Path.Combine(_dir, "app.proj"), "<Project />\n");
        File.WriteAllText(Path.Combine(_dir, "config", "docker.yaml"), $"container:\n  buildArgs:\n    NEO4J_URI: bolt://neo4j:{Secret}@neo4j:7687\n    PYTHON_VERSION: \"3.11\"\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_config_build_argument_holding_a_secret_is_withheld_and_plain_ones_keep_their_value()
    {
        var engine = new FakeBuildEngine();
        var task = new ReadContainerConfig
        {
            BuildEngine = engine,
            ProjectFile = Path.Combine(_dir, "app.proj"),
            ConfigFile = Path.Combine(_dir, "config", "docker.yaml"),
        };
        Assert.True(task.Execute());
        var uri = Assert.Single(task.BuildArgs, i => i.ItemSpec == "NEO4J_URI");
        Assert.Equal(string.Empty, uri.GetMetadata("Value"));
        Assert.Equal("SBC2010", uri.GetMetadata("Withheld"));
        Assert.Equal("3.11", Assert.Single(task.BuildArgs, i => i.ItemSpec == "PYTHON_VERSION").GetMetadata("Value"));
        foreach (ITaskItem item in task.BuildArgs)
        {
            foreach (string name in item.MetadataNames.Cast<string>())
            {
                Assert.DoesNotContain(Secret, item.GetMetadata(name), StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(Secret, engine.AllText);
    }
}
