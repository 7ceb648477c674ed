using Sbir.Container.Dotenv;

namespace Sbir.Container.Core.Tests.Dotenv;

public class DotenvParserTests
{
    private static IReadOnlyDictionary<string, string> Values(string text, Func<string, string?>? host = null)
        => DotenvParser.Parse(text, ".env", host).Values;

    [Theory]
    [InlineData("A=1", "1")]
    [InlineData("A = 1", "1")]
    [InlineData("A: 1", "1")]
    [InlineData("export A=1", "1")]
    [InlineData("A=1 # comment", "1")]
    [InlineData("A=a#b", "a#b")]
    [InlineData("A=trailing   ", "trailing")]
    [InlineData("A='single $X \\n'", "single $X \\n")]
    [InlineData("A='it\\'s'", "it's")]
    [InlineData("A=\"dq \\\"quoted\\\" \\n end\"", "dq \"quoted\" \n end")]
    [InlineData("A=\"tab\\tbackslash\\\\\"", "tab\tbackslash\\")]
    [InlineData("A=\"a#b\" # comment", "a#b")]
    [InlineData("A=\"cost \\$5\"", "cost $5")]
    [InlineData("A=$$literal", "$literal")]
    [InlineData("A=", "")]
    [InlineData("A=postgres://u@h:5432/db?x=1", "postgres://u@h:5432/db?x=1")]
    public void Values_follow_compose(string line, string expected)
        => Assert.Equal(expected, Values(line)["A"]);

    [Theory]
    // A secret pasted on its own line, with a character no name may hold: SBC1002.
    [InlineData("q9/Zr+Kp2mW7xT4vLs8e=\n", "SBC1002", "q9/Zr+Kp2mW7xT4vLs8e", "")]
    // A secret with a space in it and no '=': SBC1003, showing no part of it.
    [InlineData("k8vQ2 mZ9pL4 xR7\n", "SBC1003", "k8vQ2", " and the line has no '='")]
    // A name then a space: the name is shown, what follows is not.
    [InlineData("LOG_LEVEL info\n", "SBC1003", "info", "variable name 'LOG_LEVEL' is followed by a space and the line has no '='")]
    // Text after a closing quote: counted, not shown.
    [InlineData("NEO4J_PASSWORD=\"abc\"tail-secret-9\n", "SBC1005", "tail-secret-9", "13 more characters")]
    // A stray '${' in a secret: the position, not the value.
    [InlineData("NEO4J_PASSWORD=Xy7${!z9-more\n", "SBC1004", "z9-more", "character 4")]
    public void Malformed_lines_are_reported_without_printing_what_may_be_a_secret(string env, string code, string secretPart, string expected)
    {
        var d = Assert.Single(DotenvParser.Parse(env, ".env").Diagnostics, d => d.Code == code);
        Assert.DoesNotContain(secretPart, d.Message);
        Assert.Contains(expected, d.Message);
        Assert.Equal(1, d.Span.Line);
    }

    [Fact]
    public void Multi_line_double_quoted_value_keeps_newlines_and_later_lines_keep_their_numbers()
    {
        var doc = DotenvParser.Parse("A=\"line one\nline two\"\nB=2\n");
        Assert.Equal("line one\nline two", doc.Values["A"]);
        Assert.Equal(3, doc.Entries[1].Line);
        Assert.Equal((1, 3), (doc.Entries[0].ValueSpan.Line, doc.Entries[0].ValueSpan.Column));
    }

    [Fact]
    public void Expansion_uses_the_host_first_then_earlier_lines()
    {
        var host = new Dictionary<string, string> { ["HOST_ONLY"] = "h", ["BOTH"] = "from-host" };
        var values = Values("BOTH=from-file\nX=${HOST_ONLY}-${BOTH}\nY=${MISSING:-d}\nZ=\"${X}\"\nW='${X}'", n => host.TryGetValue(n, out var v) ? v : null);
        Assert.Equal("h-from-host", values["X"]);
        Assert.Equal("d", values["Y"]);
        Assert.Equal("h-from-host", values["Z"]);
        Assert.Equal("${X}", values["W"]);
    }

    [Fact]
    public void Bare_key_takes_the_host_value_or_stays_unset()
    {
        var doc = DotenvParser.Parse("FROM_HOST\nMISSING\nA=1", null, n => n == "FROM_HOST" ? "hv" : null);
        Assert.Equal("hv", doc.Values["FROM_HOST"]);
        Assert.False(doc.Values.ContainsKey("MISSING"));
        Assert.True(doc.Entries[1].Inherited);
    }

    [Fact]
    public void Duplicates_are_kept_in_entries_and_the_last_wins()
    {
        var doc = DotenvParser.Parse("A=1\nA=2\n");
        Assert.Equal(2, doc.Entries.Count(e => e.Key == "A"));
        Assert.Equal("2", doc.Values["A"]);
    }

    [Fact]
    public void Errors_are_reported_with_lines_and_reading_goes_on()
    {
        var doc = DotenvParser.Parse("GOOD=1\nBAD$NAME=2\nMY KEY=3\nNEXT=4\nREQ=${NOPE:?set NOPE}\nTAIL=\"x\" # fine\nLAST=5\nQ=\"never closed\nREST=6\n", ".env");
        Assert.Collection(doc.Diagnostics.OrderBy(d => d.Span.Line),
            d => Assert.Equal(("SBC1002", 2), (d.Code, d.Span.Line)),
            d => Assert.Equal(("SBC1003", 3), (d.Code, d.Span.Line)),
            d => Assert.Equal(("SBC1004", 5), (d.Code, d.Span.Line)),
            d => Assert.Equal(("SBC1001", 8), (d.Code, d.Span.Line)));
        Assert.Equal("1", doc.Values["GOOD"]);
        Assert.Equal("4", doc.Values["NEXT"]);
        Assert.Equal("x", doc.Values["TAIL"]);
        Assert.Equal("5", doc.Values["LAST"]);
        Assert.Equal("6", doc.Values["REST"]);
        Assert.Contains("set NOPE", doc.Diagnostics.Single(d => d.Code == "SBC1004").Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_a_warning()
    {
        var doc = DotenvParser.Parse("A=\"x\" junk\n", ".env");
        Assert.Contains(doc.Diagnostics, d => d.Code == "SBC1005" && d.Span.Line == 1);
    }

    [Fact]
    public void Comments_blank_lines_and_crlf_are_ignored()
    {
        var doc = DotenvParser.Parse("# header\r\n\r\n  # indented\r\nA=1\r\n\tB = \"2\"\r\n");
        Assert.Equal(("1", "2"), (doc.Values["A"], doc.Values["B"]));
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Huge_line_and_garbage_are_handled()
    {
        string huge = "BIG=" + new string('x', 5 * 1024 * 1024) + "\nA=1\n";
        var doc = Bounded.Run("5 MB line", () => DotenvParser.Parse(huge));
        Assert.Equal(5 * 1024 * 1024, doc.Values["BIG"].Length);
        Assert.Equal("1", doc.Values["A"]);

        var random = new Random(42);
        for (int i = 0; i < 300; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = "AZ_=\"'\\$#{}:-?+\n \t\r"[random.Next(19)];
            }

            _ = Bounded.Run("random text", () => DotenvParser.Parse(new string(chars)));
        }
    }

    [Fact]
    public void Invalid_utf8_and_nul_bytes_are_reported()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. "A=1\nB="u8, 0xFF, 0xFE, .. "\nC=\0x\n"u8]);
            var doc = DotenvParser.ParseFile(path);
            Assert.Contains(doc.Diagnostics, d => d.Code == "SBC1006" && d.Span.Line == 2);
            Assert.Contains(doc.Diagnostics, d => d.Code == "SBC1006" && d.Span.Line == 3);
            Assert.Equal("1", doc.Values["A"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
