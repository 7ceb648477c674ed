using Sbir.Container.Text;

namespace Sbir.Container.Core.Tests.Text;

public class InterpolationTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["SET"] = "value", ["EMPTY"] = "" };

    [Theory]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("pre-${SET}-post", "pre-value-post")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("${UNSET}", "")]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("${UNSET:-a${UNSET2:-b}c}", "abc")]
    [InlineData("cost $5", "cost $5")]
    [InlineData("50$", "50$")]
    public void Substitutes_like_compose(string template, string expected)
    {
        string result = Interpolation.Substitute(template, n => Vars.TryGetValue(n, out var v) ? v : null, out var error);
        Assert.Null(error);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("${UNSET:?need it}", "UNSET", "need it")]
    [InlineData("${EMPTY:?need it}", "EMPTY", "need it")]
    [InlineData("${UNSET?need it}", "UNSET", "need it")]
    public void Required_variables_fail_with_their_message(string template, string variable, string message)
    {
        Interpolation.Substitute(template, n => Vars.TryGetValue(n, out var v) ? v : null, out var error);
        Assert.Equal(variable, error!.Variable);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Required_but_empty_is_fine_without_colon()
    {
        Assert.Equal("", Interpolation.Substitute("${EMPTY?x}", n => Vars.TryGetValue(n, out var v) ? v : null, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("${")]
    [InlineData("${1A}")]
    [InlineData("${A:-unclosed")]
    [InlineData("${A B}")]
    public void Invalid_templates_are_errors(string template)
    {
        Interpolation.Substitute(template, _ => null, out var error);
        Assert.NotNull(error);
        Assert.Null(error!.Variable);
    }

    [Fact]
    public void References_lists_nested_ones_with_offsets()
    {
        var refs = Interpolation.References("x ${NEO4J_AUTH:-neo4j/${PW:-password}} $HOME $$NOT");
        Assert.Equal(["NEO4J_AUTH", "PW", "HOME"], refs.Select(r => r.Name));
        Assert.Equal(":-", refs[0].Operator);
        Assert.Equal("neo4j/${PW:-password}", refs[0].Argument);
        Assert.Equal("password", refs[1].Argument);
        Assert.Equal(2, refs[0].Offset);
        Assert.Equal("${PW:-password}", "x ${NEO4J_AUTH:-neo4j/${PW:-password}} $HOME $$NOT".Substring(refs[1].Offset, refs[1].Length));
    }
}
