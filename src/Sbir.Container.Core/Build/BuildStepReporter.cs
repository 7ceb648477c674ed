using System.Globalization;
using System.Text.RegularExpressions;

namespace Sbir.Container.Build;

/// <summary>
/// Turns docker's plain build output into what the user waiting at the default verbosity needs: one
/// line per Dockerfile step as it starts, and cache hits condensed into one line per run of cached
/// steps. It reads BuildKit's <c>--progress=plain</c> (<c>#5 [builder 2/9] RUN ...</c>, then
/// <c>#5 CACHED</c> or the step's output) and the legacy builder's <c>Step n/m : ...</c> (then
/// <c>---&gt; Using cache</c> or <c>---&gt; Running in ...</c>). A step is reported when the line after
/// its header says whether it runs or comes from the cache. The full output still goes to the
/// normal-verbosity log; this only adds the milestones.
/// </summary>
public sealed partial class BuildStepReporter
{
    private const int MaxInstructionLength = 100;

    private readonly Action<string> _milestone;
    private readonly List<string> _cached = [];

    // BuildKit: step headers whose next line (CACHED, output, DONE) has not come yet; it runs
    // vertices in parallel, so several can wait at once. The legacy builder: at most one.
    private readonly List<Step> _pending = [];

    /// <summary>Creates a reporter that sends each line to <paramref name="milestone"/>.</summary>
    public BuildStepReporter(Action<string> milestone) => _milestone = milestone;

    /// <summary>Number of steps that ran (not from the cache) so far.</summary>
    public int StepsRun { get; private set; }

    /// <summary>Number of steps that came from the cache so far.</summary>
    public int StepsCached { get; private set; }

    /// <summary>Takes one line of docker's output (colour codes already removed or not).</summary>
    public void Observe(string rawLine)
    {
        string line = BuildOutputParser.StripAnsi(rawLine).TrimEnd('\r');
        Match m;
        if ((m = BuildKitVertexPattern().Match(line)).Success)
        {
            string id = m.Groups["id"].Value;
            string text = m.Groups["text"].Value.Trim();
            if (_pending.FirstOrDefault(p => p.Id == id) is { } pending)
            {
                // The digest line BuildKit 0.8 prints under a header says nothing yet.
                if (text.StartsWith("sha256:", StringComparison.Ordinal))
                {
                    return;
                }

                _pending.Remove(pending);
                if (text == "CACHED")
                {
                    Cached(pending);
                }
                else
                {
                    Started(pending);
                }

                return;
            }

            if (BuildKitStepPattern().Match(text) is { Success: true } step)
            {
                _pending.Add(new Step(id, $"{step.Groups["stage"].Value} {step.Groups["n"].Value}/{step.Groups["of"].Value}", step.Groups["instruction"].Value.Trim()));
            }

            return;
        }

        if ((m = LegacyStepPattern().Match(line)).Success)
        {
            ResolvePending();
            _pending.Add(new Step(null, $"step {m.Groups["n"].Value}/{m.Groups["of"].Value}", m.Groups["instruction"].Value.Trim()));
            return;
        }

        if (_pending is [{ Id: null } legacy] && line.Trim().Length > 0)
        {
            _pending.Clear();
            if (line.Trim() == "---> Using cache")
            {
                Cached(legacy);
            }
            else
            {
                Started(legacy);
            }
        }
    }

    /// <summary>Reports what is still pending: call when the build process has ended.</summary>
    public void Complete()
    {
        ResolvePending();
        FlushCached();
    }

    private void ResolvePending()
    {
        foreach (var step in _pending.ToList())
        {
            Started(step);
        }

        _pending.Clear();
    }

    private void Cached(Step step)
    {
        StepsCached++;
        _cached.Add(step.Position);
    }

    private void Started(Step step)
    {
        FlushCached();
        StepsRun++;
        _milestone($"  {step.Position}: {Shorten(step.Instruction)}");
    }

    private void FlushCached()
    {
        if (_cached.Count == 0)
        {
            return;
        }

        _milestone(_cached.Count == 1
            ? $"  {_cached[0]}: cached"
            : string.Create(CultureInfo.InvariantCulture, $"  {_cached[0]} to {_cached[^1]}: {_cached.Count} steps cached"));
        _cached.Clear();
    }

    private static string Shorten(string instruction)
    {
        string oneLine = WhitespacePattern().Replace(instruction, " ");
        return oneLine.Length <= MaxInstructionLength ? oneLine : oneLine[..(MaxInstructionLength - 1)] + "…";
    }

    private sealed record Step(string? Id, string Position, string Instruction);

    // "#5 [builder 2/9] RUN ...": the header of a Dockerfile step (internal vertices have no n/m).
    [GeneratedRegex(@"^#(?<id>\d+) (?<text>.*)$")]
    private static partial Regex BuildKitVertexPattern();

    [GeneratedRegex(@"^\[(?<stage>[^\] ]+) (?<n>\d+)/(?<of>\d+)\] (?<instruction>.*)$")]
    private static partial Regex BuildKitStepPattern();

    [GeneratedRegex(@"^Step (?<n>\d+)/(?<of>\d+) : (?<instruction>.*)$")]
    private static partial Regex LegacyStepPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
