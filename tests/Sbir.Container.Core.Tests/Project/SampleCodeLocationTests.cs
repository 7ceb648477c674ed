using Sbir.Container.Dockerfile;
using Sbir.Container.Project;

namespace Sbir.Container.Core.Tests.Project;

/// <summary>The sample's one code location: the image's DAGSTER_MODULE_NAME is the module pyproject.toml's [tool.dagster] names.</summary>
public class SampleCodeLocationTests
{
    [Fact]
    public void The_image_and_pyproject_name_the_same_code_location()
    {
        var dockerfile = DockerfileParser.ParseFile(Path.Combine(RepoPaths.Sample, "Dockerfile"));
        var runtime = dockerfile.Stage("runtime")!;
        string env = string.Join("\n", runtime.Instructions.Where(i => i.Keyword == "ENV").Select(i => i.Arguments));
        var module = System.Text.RegularExpressions.Regex.Match(env, @"DAGSTER_MODULE_NAME=(\S+)");
        Assert.True(module.Success, "the runtime stage sets DAGSTER_MODULE_NAME");

        var tool = TomlLines.Read(Path.Combine(RepoPaths.Sample, "pyproject.toml")).Single(e => e.Table == "tool.dagster" && e.Key == "module_name");
        Assert.Equal(tool.Value, module.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Sample, "src", Path.Combine(tool.Value.Split('.')) + ".py")));
    }
}
