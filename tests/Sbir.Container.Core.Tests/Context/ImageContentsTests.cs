using Sbir.Container.Context;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Dockerfile;

namespace Sbir.Container.Core.Tests.Context;

/// <summary>The one notion of "a file the image will contain": the context .dockerignore lets through, narrowed to COPY and ADD sources.</summary>
public class ImageContentsTests
{
    private static List<string> Files(TempDirectory dir, string dockerfile, string? dockerignore = null)
    {
        if (dockerignore is not null)
        {
            dir.Write(".dockerignore", dockerignore);
        }

        var context = BuildContextScanner.Scan(dir.Path, DockerIgnore.Load(dir.Path));
        return ImageContents.Files(context, DockerfileParser.Parse(dockerfile)).Select(f => f.File.RelativePath).ToList();
    }

    private static TempDirectory Project()
    {
        var dir = new TempDirectory();
        foreach (string file in new[] { "config/docker.yaml", "config/local.env", "config/secrets/neo4j_password", "scripts/docker/entrypoint.sh", "scripts/dev.sh", "src/app/main.py", "README.md", ".env", "docs/a.md" })
        {
            dir.Write(file, "x\n");
        }

        return dir;
    }

    [Fact]
    public void Folders_named_by_copy_bring_everything_below_them()
    {
        using var dir = Project();
        var files = Files(dir, "FROM x\nCOPY config/ /app/config/\nCOPY --chown=a:a scripts/docker /app/scripts/docker/\n");
        Assert.Equal(["config/docker.yaml", "config/local.env", "config/secrets/neo4j_password", "scripts/docker/entrypoint.sh"], files);
    }

    [Fact]
    public void Globs_match_within_a_segment_and_dot_takes_the_whole_context()
    {
        using var dir = Project();
        Assert.Equal(["README.md", "scripts/dev.sh"], Files(dir, "FROM x\nCOPY *.md scripts/*.sh /app/\n"));
        Assert.Contains(".env", Files(dir, "FROM x\nCOPY . /app\n"));
        Assert.DoesNotContain(".env", Files(dir, "FROM x\nCOPY . /app\n", ".env\n"));
    }

    [Fact]
    public void Dockerignore_keeps_files_out_even_when_a_folder_is_copied()
    {
        using var dir = Project();
        Assert.Equal(["config/docker.yaml", "config/local.env"], Files(dir, "FROM x\nCOPY config/ /app/config/\n", "**/secrets/\n"));
    }

    [Fact]
    public void Copies_from_stages_urls_and_heredocs_take_nothing_from_the_context()
    {
        using var dir = Project();
        Assert.Empty(Files(dir, "FROM x AS b\nFROM y\nCOPY --from=b /app/config /app/config\nADD https://example.org/config.tgz /tmp/\nCOPY <<EOF /app/x\nhello\nEOF\n"));
    }

    [Fact]
    public void A_source_with_a_build_variable_may_be_anything()
    {
        using var dir = Project();
        Assert.Equal(9, Files(dir, "FROM x\nARG DIR=config\nCOPY ${DIR} /app/\n").Count);
    }

    [Fact]
    public void Every_stage_counts_and_each_file_names_the_first_copy()
    {
        using var dir = Project();
        var context = BuildContextScanner.Scan(dir.Path, DockerIgnore.Empty);
        var files = ImageContents.Files(context, DockerfileParser.Parse("FROM x AS builder\nCOPY src/ ./src/\nFROM y\nCOPY src/ /app/src/\n"));
        Assert.Equal(2, Assert.Single(files).CopiedAt.Span.Line);
    }

    [Theory]
    [InlineData("../x", true)]
    [InlineData("./a/../../x", true)]
    [InlineData("/etc/passwd", true)]
    [InlineData("config/", false)]
    [InlineData("./a/../b", false)]
    [InlineData("https://example.org/x", false)]
    [InlineData("${SRC}", false)]
    public void Sources_outside_the_context(string source, bool outside)
        => Assert.Equal(outside, ImageContents.OutsideContextReason(source) is not null);

    [Theory]
    [InlineData("run.sh", "#!/bin/sh\r\necho hi\r\n", 1)]
    [InlineData("tool", "#!/usr/bin/env python3\nprint(1)\r\n", 2)]
    [InlineData("run.sh", "#!/bin/sh\necho hi\n", 0)]
    [InlineData("notes.txt", "a\r\nb\r\n", 0)]
    public void Scripts_with_crlf_are_found_at_their_first_crlf_line(string path, string text, int line)
        => Assert.Equal(line, ScriptLineEndings.FirstCrlfLine(path, text));
}
