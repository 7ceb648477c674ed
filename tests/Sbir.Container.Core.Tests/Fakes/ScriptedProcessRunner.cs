using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Fakes;

/// <summary>
/// A process runner that answers from a script instead of starting processes: each rule matches the
/// executable's file name and the start of argv. Records every call so tests can assert on argv and
/// environment. Unmatched calls fail the test.
/// </summary>
internal sealed class ScriptedProcessRunner : IProcessRunner
{
    private readonly List<(string Program, string[] Prefix, Func<ProcessSpec, ProcessResult> Answer)> _rules = [];

    public List<ProcessSpec> Calls { get; } = [];

    public ScriptedProcessRunner On(string program, string[] argvPrefix, Func<ProcessSpec, ProcessResult> answer)
    {
        _rules.Add((program, argvPrefix, answer));
        return this;
    }

    public ScriptedProcessRunner On(string program, string[] argvPrefix, int exitCode, string stdout = "", string stderr = "")
        => On(program, argvPrefix, _ => Result(exitCode, stdout, stderr));

    public static ProcessResult Result(int exitCode, string stdout = "", string stderr = "")
        => new(ProcessOutcome.Exited, exitCode, Lines(stdout), Lines(stderr));

    public Task<ProcessResult> RunAsync(ProcessSpec spec, IProcessObserver? observer = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(spec);
        string program = Path.GetFileName(spec.FileName);
        foreach (var (p, prefix, answer) in _rules.AsEnumerable().Reverse())
        {
            if (p == program && spec.Arguments.Take(prefix.Length).SequenceEqual(prefix))
            {
                var result = answer(spec);
                foreach (string line in result.StandardOutput)
                {
                    observer?.OnLine(line, false);
                }

                foreach (string line in result.StandardError)
                {
                    observer?.OnLine(line, true);
                }

                return Task.FromResult(result);
            }
        }

        throw new InvalidOperationException($"Unexpected process: {spec.Display}");
    }

    private static IReadOnlyList<string> Lines(string text)
        => text.Length == 0 ? [] : text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
}
