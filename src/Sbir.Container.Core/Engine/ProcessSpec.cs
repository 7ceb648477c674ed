namespace Sbir.Container.Engine;

/// <summary>
/// A child process to run: argv as a list (never a shell string), extra environment, optional stdin.
/// Secrets travel only in <see cref="Environment"/>, which is never logged.
/// </summary>
public sealed record ProcessSpec
{
    /// <summary>Executable path (already resolved) or name.</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, one element per argv entry.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable) on top of the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to the child's stdin, which is then closed.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Kill the child after this long; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Keep at most this many lines of each stream in the result (the rest is only streamed).</summary>
    public int CaptureLines { get; init; } = 10_000;

    /// <summary>The command line as shown to users: arguments quoted where needed. Contains no environment.</summary>
    public string Display => string.Join(' ', new[] { Path.GetFileName(FileName) }.Concat(Arguments.Select(Quote)));

    private static string Quote(string arg)
        => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+%{}".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}

/// <summary>How a child process ended.</summary>
public enum ProcessOutcome
{
    /// <summary>It exited by itself; see the exit code.</summary>
    Exited,

    /// <summary>It was killed after <see cref="ProcessSpec.Timeout"/>.</summary>
    TimedOut,

    /// <summary>It was killed because the caller cancelled (Ctrl+C).</summary>
    Cancelled,

    /// <summary>It could not be started (not found, not executable).</summary>
    FailedToStart,
}

/// <summary>The result of a child process: exit code, captured lines and how it ended.</summary>
public sealed record ProcessResult(
    ProcessOutcome Outcome,
    int ExitCode,
    IReadOnlyList<string> StandardOutput,
    IReadOnlyList<string> StandardError,
    string? StartError = null,
    TimeSpan Elapsed = default)
{
    /// <summary>True when the process exited with code 0.</summary>
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;

    /// <summary>Captured stdout as one string.</summary>
    public string Stdout => string.Join('\n', StandardOutput);

    /// <summary>Captured stderr as one string.</summary>
    public string Stderr => string.Join('\n', StandardError);

    /// <summary>The last lines of stderr, or of stdout when stderr is empty: what to show in an error.</summary>
    public string Tail(int lines = 10)
    {
        var source = StandardError.Any(l => l.Trim().Length > 0) ? StandardError : StandardOutput;
        return string.Join('\n', source.Where(l => l.Trim().Length > 0).TakeLast(lines));
    }
}

/// <summary>Receives output lines while a process runs (for streaming into the MSBuild log).</summary>
public interface IProcessObserver
{
    /// <summary>A line of stdout (<paramref name="isError"/> false) or stderr.</summary>
    void OnLine(string line, bool isError);
}
