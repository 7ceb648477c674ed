using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.TestKit;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// The shape of the online job that runs the sample's real stack (.github/workflows/ci.yml, real-stack),
/// which cannot run on these machines (no PyPI, no registry, no compose v2 or buildx): it drives the stack
/// with dotnet commands only, names the real images, caches the image build, always removes the stack and
/// keeps the logs of a failure. actionlint checks the rest (WorkflowLintTests).
/// </summary>
public class RealStackWorkflowTests
{
    private static readonly YamlMappingNode Job = LoadJob();

    private static YamlMappingNode LoadJob()
    {
        string path = Path.Combine(RepoPaths.Root, ".github", "workflows", "ci.yml");
        var (stream, error) = YamlLoader.Load(File.ReadAllText(path), path, DiagnosticCatalog.ConfigUnreadable);
        Assert.True(stream is not null, error?.Message);
        var jobs = (YamlMappingNode)((YamlMappingNode)stream!.Documents[0].RootNode).Child("jobs")!;
        return Assert.IsType<YamlMappingNode>(jobs.Child("real-stack"));
    }

    private static IEnumerable<YamlMappingNode> Steps => ((YamlSequenceNode)Job.Child("steps")!).Children.Cast<YamlMappingNode>();

    private static string Env(string name) => ((YamlMappingNode)Job.Child("env")!).Child(name).Text() ?? string.Empty;

    [Fact]
    public void Every_run_step_is_a_dotnet_command_in_the_sample()
    {
        var runs = Steps.Select(s => s.Child("run").Text()).Where(r => r is not null).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, run => Assert.All(run!.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("dotnet ", line.Trim(), StringComparison.Ordinal)));
        Assert.Equal("samples/sbir-etl", ((YamlMappingNode)((YamlMappingNode)Job.Child("defaults")!).Child("run")!).Child("working-directory").Text());
    }

    [Fact]
    public void It_names_the_real_images_and_the_real_dependencies()
    {
        Assert.Equal("python:3.11-slim", Env("SbirContainerBaseImage"));
        Assert.StartsWith("neo4j:5.26", Env("NEO4J_IMAGE"), StringComparison.Ordinal);
        Assert.Equal("false", Env("SbirSampleOffline"));
        // The compose file's default for the Neo4j image is the same 5.26 line.
        Assert.Contains("${NEO4J_IMAGE:-neo4j:5.26", File.ReadAllText(Path.Combine(RepoPaths.Sample, "docker-compose.yml")));
    }

    [Fact]
    public void It_runs_the_stack_in_order_and_always_removes_it()
    {
        var runs = Steps.Select(s => (Run: s.Child("run").Text() ?? string.Empty, If: s.Child("if").Text())).Where(s => s.Run.Length > 0).ToList();
        int Index(string text) => runs.FindIndex(r => r.Run.Contains(text, StringComparison.Ordinal));
        int validate = Index("-t:ContainerValidate"), build = Index("-t:DockerBuild"), up = Index("-t:ComposeUp -p:Profile=prod"),
            materialize = Index("-p:SbirComposeRunService=etl-runner"), test = Index("-t:DockerTest"), down = Index("-t:ComposeDown");
        Assert.True(validate >= 0 && validate < build && build < up && up < materialize && materialize < test && test < down, string.Join("\n", runs.Select(r => r.Run)));
        Assert.Contains("dagster asset materialize --select raw_sbir_awards,neo4j_award_graph", runs[materialize].Run);
        Assert.Equal("always()", runs[down].If);
        Assert.Contains("-p:SbirComposeRemoveVolumes=true", runs[down].Run);
    }

    [Fact]
    public void It_caches_the_image_build_with_buildx_and_keeps_the_logs_of_a_failure()
    {
        var uses = Steps.Select(s => s.Child("uses").Text()).Where(u => u is not null).ToList();
        Assert.Contains(uses, u => u!.StartsWith("docker/setup-buildx-action@", StringComparison.Ordinal));
        Assert.StartsWith("type=gha", Env("SbirContainerCacheFrom"), StringComparison.Ordinal);
        Assert.StartsWith("type=gha", Env("SbirContainerCacheTo"), StringComparison.Ordinal);
        var upload = Steps.Single(s => s.Child("uses").Text()?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("failure()", upload.Child("if").Text());
        Assert.Contains("*.binlog", ((YamlMappingNode)upload.Child("with")!).Child("path").Text());
    }

    [Fact]
    public void The_Neo4j_password_comes_from_a_secret_and_only_where_compose_reads_it()
    {
        Assert.Null(((YamlMappingNode)Job.Child("env")!).Child("NEO4J_PASSWORD"));
        var withPassword = Steps.Where(s => s.Child("env") is YamlMappingNode env && env.Child("NEO4J_PASSWORD") is not null).ToList();
        Assert.All(withPassword, s => Assert.Equal("${{ secrets.NEO4J_TEST_PASSWORD }}", ((YamlMappingNode)s.Child("env")!).Child("NEO4J_PASSWORD").Text()));
        Assert.All(withPassword, s => Assert.Matches("-t:Compose(Up|Run|Status|Down)", s.Child("run").Text()));
    }
}

/// <summary>Reading a workflow's YAML by key.</summary>
internal static class WorkflowYaml
{
    public static YamlNode? Child(this YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode? Child(this YamlNode? node, string key)
        => node is YamlMappingNode map ? map.Child(key) : null;

    public static string? Text(this YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : null;
}
