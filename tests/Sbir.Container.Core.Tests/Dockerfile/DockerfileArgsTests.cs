using Sbir.Container.Dockerfile;

namespace Sbir.Container.Core.Tests.Dockerfile;

public class DockerfileArgsTests
{
    [Fact]
    public void Global_args_take_defaults_and_overrides_of_declared_names_only()
    {
        var doc = DockerfileParser.Parse("ARG BASE_IMAGE=\"python:3.11-slim\"\nARG TAG\nFROM ${BASE_IMAGE}\n");
        var values = DockerfileArgs.GlobalValues(doc, [new("TAG", "x"), new("UNDECLARED", "y")]);
        Assert.Equal("python:3.11-slim", values["BASE_IMAGE"]);
        Assert.Equal("x", values["TAG"]);
        Assert.False(values.ContainsKey("UNDECLARED"));
    }

    [Theory]
    [InlineData("${A}", "a")]
    [InlineData("$A-x", "a-x")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${A:-fallback}", "a")]
    [InlineData("${A:+alt}", "alt")]
    [InlineData("${MISSING:+alt}", "")]
    [InlineData("img:${MISSING}", "img:")]
    public void Expands_like_docker(string text, string expected)
        => Assert.Equal(expected, DockerfileArgs.Expand(text, new Dictionary<string, string> { ["A"] = "a" }));
}
