using Sbir.Container.Configuration;

namespace Sbir.Container.Core.Tests.Configuration;

public class ContainerConfigLoaderTests
{
    [Fact]
    public void Reads_the_sample_configuration()
    {
        var result = ContainerConfigLoader.Load(Path.Combine(RepoPaths.Sample, "config", "docker.yaml"));
        Assert.Empty(result.Diagnostics);
        Assert.Equal("sbir-etl", result.Config.Container.Image);
        Assert.Equal("python:3.11-slim", result.Config.Container.BaseImage);
        Assert.Equal("builder", result.Config.Container.BuilderStage);
        Assert.Equal(["docker-compose.yml", "docker/docker-compose.dev.yml"], result.Config.Compose.Profiles["dev"].Files);
        Assert.Equal(TimeSpan.FromSeconds(300), result.Config.Compose.WaitTimeout);
        Assert.Equal(8, result.Config.Environment.Variables["NEO4J_PASSWORD"].MinLength);
    }

    [Fact]
    public void A_misspelt_profile_is_SBC5206_listing_the_known_ones()
    {
        var compose = ContainerConfigLoader.Load(Path.Combine(RepoPaths.Sample, "config", "docker.yaml")).Config.Compose;
        var unknown = compose.UnknownProfile("prdo", "config/docker.yaml");
        Assert.NotNull(unknown);
        Assert.Equal("SBC5206", unknown.Code);
        Assert.Contains("dev, test, prod", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean prod?", unknown.Message, StringComparison.Ordinal);
        Assert.Null(compose.UnknownProfile("prod", null));
        Assert.Null(compose.UnknownProfile("PROD", null));
        Assert.Null(compose.UnknownProfile(null, null));
        Assert.Null(new ComposeSettings().UnknownProfile("anything", null));
    }

    [Fact]
    public void A_minLength_that_is_not_a_whole_number_is_SBC0021_at_its_line()
    {
        var result = ContainerConfigLoader.Parse("environment:\n  variables:\n    TOKEN:\n      secret: true\n      minLength: eight\n", "docker.yaml");
        var d = Assert.Single(result.Diagnostics, d => d.Code == "SBC0021");
        Assert.Equal(5, d.Span.Line);
        Assert.Contains("minLength", d.Message);
    }

    [Fact]
    public void Missing_file_is_an_empty_configuration()
        => Assert.Same(ContainerConfig.Empty, ContainerConfigLoader.Load("/nonexistent/docker.yaml").Config);

    [Fact]
    public void Malformed_yaml_is_SBC0020_with_its_line()
    {
        var result = ContainerConfigLoader.Parse("container:\n  image: x\n  tags: [a, b\nother: 1\n", "docker.yaml");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC0020", d.Code);
        Assert.True(d.Span.Line >= 3);
    }

    [Fact]
    public void Wrong_shapes_are_SBC0021_at_the_value()
    {
        var result = ContainerConfigLoader.Parse("container:\n  image: [a, b]\n  tags: {x: 1}\ncompose:\n  health:\n    waitTimeout: soon\n", "docker.yaml");
        Assert.Equal([2, 3, 6], result.Diagnostics.Select(d => d.Span.Line).Order());
        Assert.All(result.Diagnostics, d => Assert.Equal("SBC0021", d.Code));
    }

    [Fact]
    public void Alias_bomb_is_read_without_expanding()
    {
        var yaml = new System.Text.StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 30; i++)
        {
            yaml.Append($"b{i}: &b{i} [*{(i == 0 ? "a" : "b" + (i - 1))}, *{(i == 0 ? "a" : "b" + (i - 1))}, *{(i == 0 ? "a" : "b" + (i - 1))}]\n");
        }

        yaml.Append("container:\n  image: ok\n");
        var result = Bounded.Run("alias bomb", () => ContainerConfigLoader.Parse(yaml.ToString(), "docker.yaml"));
        Assert.Equal("ok", result.Config.Container.Image);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void Nesting_a_million_levels_deep_is_SBC0020_at_the_level_too_many_not_a_stack_overflow(string open, string close)
    {
        // Once a stack overflow: the representation model is built recursively, and it ends the process.
        int depth = open == "- " ? 5_000 : 1_000_000;
        string text = open == "- "
            ? string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i * 2) + "-\n"))
            : string.Concat(Enumerable.Repeat(open, depth)) + string.Concat(Enumerable.Repeat(close, depth)) + "\n";
        var result = Bounded.Run("deep nesting", () => ContainerConfigLoader.Parse(text, "docker.yaml"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC0020", d.Code);
        Assert.Contains($"deeper than {YamlLoader.MaxDepth} levels", d.Message);
        Assert.Equal(open == "- " ? YamlLoader.MaxDepth + 1 : 1, d.Span.Line);
    }

    [Fact]
    public void Nesting_as_deep_as_the_limit_is_read()
    {
        string text = "x-deep: " + new string('[', YamlLoader.MaxDepth - 1) + new string(']', YamlLoader.MaxDepth - 1) + "\ncontainer:\n  image: ok\n";
        var result = ContainerConfigLoader.Parse(text, "docker.yaml");
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "SBC0020");
    }

    [Fact]
    public void Empty_and_garbage_files_never_throw()
    {
        Assert.Empty(ContainerConfigLoader.Parse("", "docker.yaml").Diagnostics);
        Assert.NotEmpty(ContainerConfigLoader.Parse("\u0001\u0002: [\n\t{", "docker.yaml").Diagnostics);
        Assert.Single(ContainerConfigLoader.Parse("- just\n- a list\n", "docker.yaml").Diagnostics);
    }
}
