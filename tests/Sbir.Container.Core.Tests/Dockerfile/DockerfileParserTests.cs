using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;

namespace Sbir.Container.Core.Tests.Dockerfile;

public class DockerfileParserTests
{
    [Fact]
    public void Reads_stages_with_names_lowercased_and_exact_lines()
    {
        var doc = DockerfileParser.Parse("""
            ARG BASE_IMAGE=python:3.11-slim
            # a comment
            FROM ${BASE_IMAGE} AS Builder
            RUN echo one \
             && echo two

            FROM ${BASE_IMAGE} AS runtime
            COPY --from=builder --chown=sbir:sbir /app/.venv /app/.venv
            USER sbir
            """);

        Assert.Empty(doc.Diagnostics);
        Assert.Equal(["builder", "runtime"], doc.Stages.Select(s => s.Name));
        Assert.Equal("${BASE_IMAGE}", doc.Stages[0].BaseImage);
        var run = doc.Stages[0].Instructions.Single();
        Assert.Equal("RUN", run.Keyword);
        Assert.Equal(4, run.Span.Line);
        Assert.Equal(5, run.Span.EndLine);
        Assert.Equal("echo one  && echo two", run.Arguments);
        var copy = doc.Stages[1].Instructions[0];
        Assert.Equal("builder", copy.Flag("from")!.Value);
        Assert.Equal("sbir:sbir", copy.Flag("chown")!.Value);
        Assert.Equal("/app/.venv /app/.venv", copy.Arguments);
        Assert.Single(doc.GlobalArgs);
        Assert.Equal(-1, doc.GlobalArgs.Single().StageIndex);
    }

    [Fact]
    public void Comment_and_empty_lines_inside_a_continuation_are_skipped()
    {
        var doc = DockerfileParser.Parse("FROM x\nRUN apt-get update \\\n  # why\n\n  && apt-get install -y tini\nUSER app\n");
        var run = doc.Instructions[1];
        Assert.Equal("apt-get update   && apt-get install -y tini", run.Arguments);
        Assert.Equal((2, 5), (run.Span.Line, run.Span.EndLine));
        Assert.Equal(6, doc.Instructions[2].Span.Line);
        Assert.Contains(doc.Comments, c => c.Line == 3 && c.Text == "why");
    }

    [Fact]
    public void Exec_form_is_parsed_and_shell_form_is_not()
    {
        var doc = DockerfileParser.Parse("FROM x\nENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/app/entrypoint.sh\"]\nCMD dagster-webserver\nHEALTHCHECK --interval=10s CMD [\"/hc.sh\"]\n");
        Assert.Equal(["/usr/bin/tini", "--", "/app/entrypoint.sh"], doc.Instructions[1].ExecForm!);
        Assert.Null(doc.Instructions[2].ExecForm);
        Assert.Equal(["/hc.sh"], doc.Instructions[3].ExecForm!);
        Assert.Equal("10s", doc.Instructions[3].Flag("interval")!.Value);
    }

    [Fact]
    public void Heredoc_body_is_attached_and_lines_after_it_are_right()
    {
        var doc = DockerfileParser.Parse("FROM x\nRUN <<EOF\nset -e\necho hi\nEOF\nUSER app\n");
        var run = doc.Instructions[1];
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal("EOF", heredoc.Delimiter);
        Assert.Equal("set -e\necho hi\n", heredoc.Body);
        Assert.Equal(5, run.Span.EndLine);
        Assert.Equal(("USER", 6), (doc.Instructions[2].Keyword, doc.Instructions[2].Span.Line));
        Assert.Equal("line 2 uses a heredoc", doc.BuildKitRequirement());
    }

    [Fact]
    public void Heredoc_with_dash_strips_tabs_and_unterminated_heredoc_is_reported()
    {
        var doc = DockerfileParser.Parse("FROM x\nRUN <<-END\n\techo a\n\tEND\n");
        Assert.Equal("echo a\n", doc.Instructions[1].Heredocs[0].Body);

        var bad = DockerfileParser.Parse("FROM x\nRUN <<EOF\necho a\n", "Dockerfile");
        var d = Assert.Single(bad.Diagnostics);
        Assert.Equal("SBC3003", d.Code);
        Assert.Equal(2, d.Span.Line);
    }

    [Fact]
    public void Unknown_instruction_and_dangling_continuation_are_diagnosed_with_lines()
    {
        var doc = DockerfileParser.Parse("FROM x\nRUNN echo\nRUN echo \\\n", "Dockerfile");
        Assert.Collection(doc.Diagnostics.OrderBy(d => d.Span.Line),
            d => { Assert.Equal("SBC3001", d.Code); Assert.Equal(2, d.Span.Line); Assert.Contains("RUNN", d.Message); },
            d => { Assert.Equal("SBC3002", d.Code); Assert.Equal(3, d.Span.Line); });
    }

    [Fact]
    public void Escape_directive_switches_the_continuation_character()
    {
        var doc = DockerfileParser.Parse("# escape=`\nFROM x\nRUN echo a `\n  b\n");
        Assert.Equal('`', doc.EscapeCharacter);
        Assert.Equal("echo a   b", doc.Instructions[1].Arguments);
    }

    [Fact]
    public void BuildKit_requirement_detects_mounts_and_syntax_directive()
    {
        Assert.Null(DockerfileParser.Parse("FROM x\nRUN echo\nCOPY a b\n").BuildKitRequirement());
        Assert.Contains("RUN --mount", DockerfileParser.Parse("FROM x\nRUN --mount=type=secret,id=t cat /run/secrets/t\n").BuildKitRequirement());
        Assert.Contains("syntax", DockerfileParser.Parse("# syntax=docker/dockerfile:1\nFROM x\n").BuildKitRequirement());
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(0, 400)];
            for (int j = 0; j < chars.Length; j++)
            {
                const string alphabet = "FROM RUN \\\n<<EOF\"'[]#=`-\t x";
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var doc = DockerfileParser.Parse(new string(chars));
            Assert.NotNull(doc);
        }
    }

    [Fact]
    public void Invalid_utf8_is_reported_and_the_rest_is_read()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. "FROM x\nRUN echo "u8, 0xC3, 0x28, .. "\nUSER app\n"u8]);
            var doc = DockerfileParser.ParseFile(path);
            Assert.Contains(doc.Diagnostics, d => d.Code == "SBC3006" && d.Span.Line == 2);
            Assert.Equal("USER", doc.Instructions[^1].Keyword);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_FROM_is_an_error()
    {
        Assert.Contains(DockerfileParser.Parse("").Diagnostics, d => d.Code == "SBC3005" && d.Severity == DiagnosticSeverity.Error);
    }
}
