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
    private Step? _pending;

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
            string text = m.Groups["text"].Value;
            if (_pending is { } pending && pending.Id == id)
            {
                if (text.Trim() == "CACHED")
                {
                    Cached(pending);
                    return;
                }

                Started(pending);
                return;
            }

            if (BuildKitStepPattern().Match(text) is { Success: true } step)
            {
                ResolvePending();
                _pending = new Step(id, $"{step.Groups["stage"].Value} {step.Groups["n"].Value}/{step.Groups["of"].Value}", step.Groups["instruction"].Value.Trim());
            }
            else if (_pending is not null && !text.StartsWith('[') && !text.StartsWith("DONE", StringComparison.Ordinal))
            {
                // Another vertex's output: the pending step is under way (BuildKit runs vertices in parallel).
                ResolvePending();
            }

            return;
        }

        if ((m = LegacyStepPattern().Match(line)).Success)
        {
            ResolvePending();
            _pending = new Step(null, $"step {m.Groups["n"].Value}/{m.Groups["of"].Value}", m.Groups["instruction"].Value.Trim());
            return;
        }

        if (_pending is { } legacy && legacy.Id is null && line.Trim().Length > 0)
        {
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
        if (_pending is { } pending)
        {
            Started(pending);
        }
    }

    private void Cached(Step step)
    {
        _pending = null;
        StepsCached++;
        _cached.Add(step.Position);
    }

    private void Started(Step step)
    {
        _pending = null;
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
