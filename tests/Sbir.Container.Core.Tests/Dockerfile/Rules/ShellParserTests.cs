using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>The small shell reader the RUN rules stand on.</summary>
public class ShellParserTests
{
    private static List<ShellCommand> Parse(string text) => ShellParser.Parse(text, new FixedShellSource(SourceSpan.None));

    [Fact]
    public void Splits_command_lists_and_removes_quotes()
    {
        var commands = Parse("set -eux; A=1 sudo -u app env B=2 apt-get install -y \"tini\" 'gosu' && echo \"a && b\" || true\nls|wc -l & wait");
        Assert.Equal(["set", "apt-get", "echo", "true", "ls", "wc", "wait"], commands.Select(c => c.Name));
        var apt = commands[1];
        Assert.Equal(["apt-get", "install", "-y", "tini", "gosu"], apt.Words.Select(w => w.Value));
        Assert.Equal(["A=1", "B=2"], apt.Assignments.Select(w => w.Value));
        Assert.NotNull(apt.Sudo);
        Assert.Equal(["echo", "a && b"], commands[2].Words.Select(w => w.Value));
        Assert.True(commands[4].PipesIntoNext);
        Assert.False(commands[5].PipesIntoNext);
    }

    [Fact]
    public void Words_keep_their_offsets_in_the_text()
    {
        const string text = "apt-get install  -y \"tini\"";
        var words = Parse(text).Single().Words;
        Assert.Equal([(0, 7), (8, 7), (17, 2), (20, 6)], words.Select(w => (w.Start, w.Length)));
    }

    [Fact]
    public void Redirections_are_not_arguments_and_heredoc_bodies_inside_a_script_are_skipped()
    {
        var commands = Parse("curl -fsSL https://x >/usr/local/bin/x 2>&1\ncat <<EOF > /etc/apt/apt.conf.d/99\napt-get install nothing\nEOF\nrm -rf /tmp/x");
        Assert.Equal(["curl", "cat", "rm"], commands.Select(c => c.Name));
        Assert.Equal(["curl", "-fsSL", "https://x"], commands[0].Words.Select(w => w.Value));
        Assert.Equal("/usr/local/bin/x", commands[0].Redirects.Single().Target.Value);
        Assert.Equal(["<<", ">"], commands[1].Redirects.Select(r => r.Operator));
    }

    [Fact]
    public void Control_words_substitutions_and_line_continuations_are_handled()
    {
        var commands = Parse("if command -v poetry; then \\\n  poetry install; else pip install \"$(cat req.txt)\" ${X:-a b}; fi");
        Assert.Equal(["command", "poetry", "pip"], commands.Select(c => c.Name).Where(n => n.Length > 0));
        Assert.Equal(["pip", "install", "$(cat req.txt)", "${X:-a b}"], commands[2].Words.Select(w => w.Value));
    }

    [Fact]
    public void Scripts_given_to_sh_c_are_read_too()
        => Assert.Equal(["bash", "apt-get", "rm"], Parse("bash -euo pipefail -c 'apt-get update && rm -rf /var/lib/apt/lists/*'").Select(c => c.Name));

    [Fact]
    public void Unclosed_quotes_and_substitutions_end_at_the_end_of_the_text()
    {
        Assert.Single(Parse("echo \"never closed && apt-get install x"));
        Assert.Single(Parse("echo $(never closed && apt-get install x"));
        Assert.Single(Parse("echo 'never closed && apt-get install x"));
    }
}
