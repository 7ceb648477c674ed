using Sbir.Container.Dotenv;
using Sbir.Container.TestKit;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// The .env reader against docker-compose itself: each tricky file is given to 'docker-compose
/// config' as --env-file, a compose file echoes every variable, and the values compose renders must
/// equal the reader's. docker-compose 1.29 (the only compose installable here) reads .env with
/// python-dotenv; where it differs from compose v2 (the grammar we implement, compose-go's) the
/// test pins our v2 behaviour and documents v1's.
/// </summary>
public class DotenvOracleTests
{
    /// <summary>Inputs on which docker-compose 1.29 and compose v2 agree.</summary>
    public static TheoryData<string, string> Agreed => new()
    {
        { "plain", "A=value\nB=with spaces inside\n" },
        { "spaces around =", "A = spaced value\n" },
        { "export prefix", "export A=exported\n" },
        { "inline comment", "A=abc # comment\nB=abc#def\n" },
        { "trailing spaces", "A=trailing   \n" },
        { "empty", "A=\n" },
        { "single quotes literal", "A='single $X \\n literal'\nX=x\n" },
        { "single quote escape", "A='it\\'s'\n" },
        { "double quotes with escapes", "A=\"tab\\tnew\\nline\"\nB=\"say \\\"hi\\\"\"\n" },
        { "double quotes keep #", "A=\"a#b\" # comment\n" },
        { "multi-line double quotes", "A=\"line one\nline two\"\nB=after\n" },
        { "braced reference", "X=value\nA=${X}-suffix\nB=\"in ${X} quotes\"\n" },
        { "default when unset", "A=${UNSET_SBIR_ORACLE:-fallback}\n" },
        { "comments and blank lines", "# header\n\n   # indented\nA=1\n\nB=2\n" },
        { "crlf", "A=1\r\nB=\"two\"\r\n" },
        { "urls and equals", "A=postgres://u@h:5432/db?sslmode=disable\nB=k=v=w\n" },
    };

    [Theory]
    [MemberData(nameof(Agreed))]
    public void Reader_agrees_with_docker_compose(string name, string envText)
    {
        var compose = RenderedByCompose(envText);
        var ours = DotenvParser.Parse(envText).Values;
        Assert.True(compose.Count > 0, name);
        foreach (var (key, value) in compose)
        {
            Assert.True(ours.ContainsKey(key), $"{name}: the reader has no {key}");
            Assert.Equal(value, ours[key]);
        }
    }

    [Fact]
    public void Where_compose_v1_differs_the_reader_follows_compose_v2()
    {
        // python-dotenv (compose v1) knows neither ${X-default}, nor $X without braces, nor $$, nor
        // KEY: value; it applies :- only to unset variables, and expands ${X} even inside single
        // quotes. compose v2 (compose-go) does the opposite on each point, and so do we.
        const string text = "A=${UNSET_SBIR_ORACLE-fallback}\nX=x\nB=$X\nC=$$literal\nE=\nF=${E:-fallback}\nG='kept ${X}'\n";
        var v1 = RenderedByCompose(text);
        Assert.Equal(string.Empty, v1["A"]);
        Assert.Equal("$X", v1["B"]);
        Assert.Equal("$$literal", v1["C"]);
        Assert.Equal(string.Empty, v1["F"]);
        Assert.Equal("kept x", v1["G"]);

        var ours = DotenvParser.Parse(text + "D: yaml-style\n").Values;
        Assert.Equal("fallback", ours["A"]);
        Assert.Equal("x", ours["B"]);
        Assert.Equal("$literal", ours["C"]);
        Assert.Equal("fallback", ours["F"]);
        Assert.Equal("kept ${X}", ours["G"]);
        Assert.Equal("yaml-style", ours["D"]);
    }

    /// <summary>The environment docker-compose renders for a compose file that echoes every variable of <paramref name="envText"/>.</summary>
    private static Dictionary<string, string> RenderedByCompose(string envText)
    {
        string compose = Tools.Require("docker-compose", "apt-get install docker-compose");
        string dir = Path.Combine(Path.GetTempPath(), "sbir-oracle-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "oracle.env"), envText);
            var keys = DotenvParser.Parse(envText).Entries.Select(e => e.Key).Distinct().ToList();
            var yaml = "services:\n  s:\n    image: x\n    environment:\n" + string.Concat(keys.Select(k => $"      {k}: \"${{{k}}}\"\n"));
            File.WriteAllText(Path.Combine(dir, "docker-compose.yml"), yaml);
            var result = ProcessRun.Run(compose, ["--env-file", Path.Combine(dir, "oracle.env"), "--file", Path.Combine(dir, "docker-compose.yml"), "config"], dir,
                new Dictionary<string, string?> { ["UNSET_SBIR_ORACLE"] = null });
            Assert.True(result.ExitCode == 0, result.Output);
            string document = result.Output[result.Output.IndexOf("services:", StringComparison.Ordinal)..];
            var stream = new YamlStream();
            stream.Load(new StringReader(document));
            var env = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"])["s"])["environment"];
            // 'config' writes a literal '$' as '$$'.
            return env.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (((YamlScalarNode)e.Value).Value ?? string.Empty).Replace("$$", "$"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
