using Sbir.Container.Context;
using Sbir.Container.Core.Tests.Fakes;

namespace Sbir.Container.Core.Tests.Context;

public class DockerIgnoreTests
{
    [Theory]
    [InlineData("data/", "data/raw/x.csv", true)]
    [InlineData("data", "data", true)]
    [InlineData("*.csv", "a.csv", true)]
    [InlineData("*.csv", "sub/a.csv", false)]
    [InlineData("**/*.csv", "sub/deep/a.csv", true)]
    [InlineData("**/__pycache__/", "src/pkg/__pycache__/m.pyc", true)]
    [InlineData("/abs", "abs/file", true)]
    [InlineData("a/*/c", "a/b/c", true)]
    [InlineData("a/*/c", "a/b/x/c", false)]
    [InlineData("a/**/c", "a/b/x/c", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[!0-9].txt", "file7.txt", false)]
    [InlineData("./src/../tmp", "tmp/x", true)]
    [InlineData(".env", ".env.example", false)]
    [InlineData(".env.*", ".env.example", true)]
    public void Single_pattern_matches_like_docker(string pattern, string path, bool excluded)
        => Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void Later_exception_reincludes_and_last_match_wins()
    {
        var ignore = DockerIgnore.Parse("""
            # comment
            *.md
            !README.md
            .env.*
            !.env.example
            data/
            !data/reference/
            """);
        Assert.True(ignore.IsExcluded("CHANGELOG.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded(".env.local"));
        Assert.False(ignore.IsExcluded(".env.example"));
        Assert.True(ignore.IsExcluded("data/raw/a.csv"));
        Assert.False(ignore.IsExcluded("data/reference/codes.csv"));
        Assert.True(ignore.HasExceptions);
    }

    [Fact]
    public void Scanner_lists_included_files_sorted_and_skips_excluded_directories()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", "FROM x");
        dir.Write(".dockerignore", "data/\n.env\n");
        dir.Write(".env", "SECRET=x");
        dir.Write("data/raw/big.csv", "a,b");
        dir.Write("src/app/__init__.py", "");
        dir.Write("README.md", "#");
        var files = BuildContextScanner.Scan(dir.Path, DockerIgnore.Load(dir.Path));
        Assert.Equal([".dockerignore", "Dockerfile", "README.md", "src/app/__init__.py"], files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Scanner_walks_an_excluded_directory_only_when_an_exception_names_a_path_below_it()
    {
        // docker's walk (moby pkg/archive TarWithOptions) skips an excluded directory unless some '!' pattern starts
        // with its path: data/reference/ is opened again, .git/ is not walked at all, and a '!' pattern that starts
        // with a wildcard opens no excluded directory.
        using var dir = new TempDirectory();
        dir.Write(".dockerignore", "data/\n!data/reference/\n.git/\n.env.*\n!.env.example\n!*/keep.txt\n");
        dir.Write(".env.example", "A=");
        dir.Write(".git/HEAD", "ref: refs/heads/main");
        dir.Write(".git/keep.txt", "x");
        dir.Write("data/raw/a.csv", "a");
        dir.Write("data/reference/codes.csv", "c");
        dir.Write("src/keep.txt", "k");
        var ignore = DockerIgnore.Load(dir.Path);
        Assert.True(ignore.MayReincludeBelow("data"));
        Assert.False(ignore.MayReincludeBelow(".git"));
        var files = BuildContextScanner.Scan(dir.Path, ignore);
        Assert.Equal([".dockerignore", ".env.example", "data/reference/codes.csv", "src/keep.txt"], files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Dockerfile_specific_ignore_file_wins()
    {
        using var dir = new TempDirectory();
        dir.Write(".dockerignore", "a\n");
        string dockerfile = dir.Write("build/app.Dockerfile", "FROM x");
        dir.Write("build/app.Dockerfile.dockerignore", "b\n");
        var ignore = DockerIgnore.Load(dir.Path, dockerfile);
        Assert.False(ignore.IsExcluded("a"));
        Assert.True(ignore.IsExcluded("b"));
    }
}
