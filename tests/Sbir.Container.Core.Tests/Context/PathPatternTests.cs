using Sbir.Container.Context;

namespace Sbir.Container.Core.Tests.Context;

public class PathPatternTests
{
    [Theory]
    [InlineData("**", "a/b/c", true)]
    [InlineData("**/", "a", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**b", "a/xb", false)]
    [InlineData("*", "a/b", false)]
    [InlineData("*/b", "a/b", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("trailing\\", "trailing\\", true)]
    [InlineData("??", "ab", true)]
    [InlineData("??", "a/", false)]
    [InlineData("[ab]c", "bc", true)]
    public void Matches_as_docker_does(string pattern, string path, bool expected)
        => Assert.Equal(expected, PathPattern.Compile(pattern).IsMatch(path));

    [Fact]
    public void The_glob_matcher_answers_as_the_regular_expression_that_defines_it()
    {
        // Random patterns and paths over the characters that matter (separators, wildcards, escapes, line feeds): the
        // glob matcher that serves patterns without a class must agree with ToRegex on every one.
        var random = new Random(20261205);
        string[] patternParts = ["a", "b", "/", "*", "**", "?", ".", "\\*", "\\", "\n", "ab/"];
        string[] pathParts = ["a", "b", "/", ".", "\n", "*", "ab", "\\"];
        for (int i = 0; i < 20_000; i++)
        {
            string pattern = string.Concat(Enumerable.Range(0, random.Next(0, 7)).Select(_ => patternParts[random.Next(patternParts.Length)]));
            var glob = PathPattern.Compile(pattern);
            var regex = PathPattern.ToRegex(pattern);
            for (int j = 0; j < 5; j++)
            {
                string path = string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => pathParts[random.Next(pathParts.Length)]));
                Assert.True(regex.IsMatch(path) == glob.IsMatch(path), $"pattern '{pattern}' on path '{path}': regex {regex.IsMatch(path)}");
            }
        }
    }
}
