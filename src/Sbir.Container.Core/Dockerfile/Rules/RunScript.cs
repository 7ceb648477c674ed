namespace Sbir.Container.Dockerfile.Rules;

/// <summary>
/// The shell commands one RUN executes: its shell-form text, its exec form (and the script of
/// <c>["sh", "-c", "..."]</c>), and the bodies of heredocs that are scripts (<c>RUN &lt;&lt;EOF</c>,
/// <c>RUN &lt;&lt;EOF bash</c>), not those fed to another program as data (<c>RUN python3 &lt;&lt;EOF</c>).
/// </summary>
internal sealed class RunScript
{
    private RunScript(DockerfileInstruction instruction, IReadOnlyList<ShellCommand> commands, IReadOnlyList<Dictionary<string, string>> mounts)
    {
        Instruction = instruction;
        Commands = commands;
        Mounts = mounts;
    }

    public DockerfileInstruction Instruction { get; }

    /// <summary>The simple commands, in the order they appear.</summary>
    public IReadOnlyList<ShellCommand> Commands { get; }

    /// <summary>The <c>--mount</c> flags, as key=value maps.</summary>
    public IReadOnlyList<Dictionary<string, string>> Mounts { get; }

    /// <summary>True when a cache or tmpfs mount has a target that <paramref name="target"/> accepts.</summary>
    public bool HasCacheMount(Func<string, bool> target)
        => Mounts.Any(m => InstructionText.IsCacheOrTmpfs(m) && InstructionText.MountTarget(m) is { } t && target(t.TrimEnd('/')));

    /// <summary>The commands named <paramref name="name"/>.</summary>
    public IEnumerable<ShellCommand> Named(string name) => Commands.Where(c => c.Name == name);

    /// <summary>Reads a RUN instruction.</summary>
    public static RunScript Of(DockerfileInstruction run)
    {
        var commands = new List<ShellCommand>();
        if (run.ExecForm is { Count: > 0 } exec)
        {
            var source = new FixedShellSource(run.Span);
            var words = exec.Select(w => new TextWord(w ?? string.Empty, -1, 0)).ToList();
            var command = new ShellCommand { Words = words, Assignments = [], Redirects = [], Source = source };
            commands.Add(command);
            if (command.IsShell)
            {
                int c = words.FindIndex(1, w => w.Value.StartsWith('-') && !w.Value.StartsWith("--", StringComparison.Ordinal) && w.Value.EndsWith('c'));
                if (c > 0 && c + 1 < words.Count)
                {
                    commands.AddRange(ShellParser.Parse(words[c + 1].Value, source));
                }
            }
        }
        else
        {
            var main = ShellParser.Parse(run.Arguments, new ArgumentsShellSource(run));
            commands.AddRange(main);
            foreach (var heredoc in run.Heredocs)
            {
                if (IsScript(heredoc, main, run))
                {
                    commands.AddRange(ShellParser.Parse(heredoc.Body, new HeredocShellSource(run, heredoc)));
                }
            }
        }

        return new RunScript(run, commands, InstructionText.Mounts(run));
    }

    /// <summary>A heredoc is a script when the command it is attached to is empty (BuildKit runs it with the default shell) or a shell.</summary>
    private static bool IsScript(Heredoc heredoc, List<ShellCommand> main, DockerfileInstruction run)
    {
        foreach (var command in main)
        {
            foreach (var redirect in command.Redirects)
            {
                if (redirect.Operator.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9') is "<<" or "<<-"
                    && redirect.Target.Value == heredoc.Delimiter)
                {
                    return command.Words.Count == 0 || (command.IsShell && !command.Words.Skip(1).Any(w => w.Value == "-c"));
                }
            }
        }

        return run.Arguments.TrimStart().StartsWith("<<", StringComparison.Ordinal);
    }
}
