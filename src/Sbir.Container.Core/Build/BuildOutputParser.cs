using System.Text.RegularExpressions;
using Sbir.Container.Text;

namespace Sbir.Container.Build;

/// <summary>What kind of failure a build ended with.</summary>
public enum BuildFailureKind
{
    /// <summary>A Dockerfile instruction (usually RUN) failed.</summary>
    Step,

    /// <summary>A base image could not be found or pulled.</summary>
    BaseImage,

    /// <summary>Anything else (context transfer, daemon error, ...).</summary>
    Other,
}

/// <summary>The failure a build ended with, as read from docker's output.</summary>
/// <param name="Kind">What failed.</param>
/// <param name="Stage">The stage name BuildKit printed ("builder", "stage-0"), or null (legacy builder).</param>
/// <param name="Instruction">The failing instruction as docker printed it ("RUN poetry install ..."), or null.</param>
/// <param name="StepNumber">The legacy builder's step number (1-based over all instructions), or 0.</param>
/// <param name="ExitCode">The failing command's exit code, when docker printed it.</param>
/// <param name="Output">The last lines the failing step printed.</param>
/// <param name="Image">For <see cref="BuildFailureKind.BaseImage"/>, the image reference.</param>
/// <param name="Message">docker's own error line.</param>
public sealed record BuildFailure(BuildFailureKind Kind, string? Stage, string? Instruction, int StepNumber, int? ExitCode, IReadOnlyList<string> Output, string? Image, string Message);

/// <summary>
/// Follows docker's plain build output line by line (BuildKit's <c>--progress=plain</c> and the
/// legacy builder's <c>Step n/m</c> format alike) and works out which step failed, with the step's
/// own last lines of output. Feed every line to <see cref="Observe"/>; read <see cref="Failure"/> at the end.
/// </summary>
public sealed partial class BuildOutputParser
{
    private const int TailLines = 15;

    private readonly Dictionary<string, Vertex> _vertices = new(StringComparer.Ordinal);
    private readonly TailBuffer _all = new(40);
    private Vertex? _legacyStep;
    private string? _failedVertexId;
    private string? _errorLine;
    private int? _exitCode;

    /// <summary>Removes terminal colour sequences (the legacy builder colours stderr).</summary>
    public static string StripAnsi(string line) => AnsiPattern().Replace(line, string.Empty);

    /// <summary>Takes one line of docker's output.</summary>
    public void Observe(string rawLine)
    {
        string line = StripAnsi(rawLine).TrimEnd('\r');
        if (line.Trim().Length == 0)
        {
            return;
        }

        Match m;
        if ((m = VertexLinePattern().Match(line)).Success)
        {
            // BuildKit's plain progress: the first line of a vertex names it; later lines with the same
            // number are its output ("#5 0.187 text"), its status (DONE, CACHED) or its error.
            string id = m.Groups["id"].Value;
            string text = m.Groups["text"].Value;
            if (!_vertices.TryGetValue(id, out var vertex))
            {
                _vertices[id] = new Vertex(text.Trim());
                return;
            }

            if (text.StartsWith("ERROR", StringComparison.Ordinal))
            {
                _failedVertexId ??= id;
                _errorLine ??= text;
                _exitCode ??= ExitCodeOf(text);
                return;
            }

            if (TimedOutputPattern().Match(text) is { Success: true } timed)
            {
                vertex.Output.Add(timed.Groups["text"].Value);
            }
            else if (!StatusPattern().IsMatch(text))
            {
                _all.Add(text);
            }

            return;
        }

        if ((m = LegacyStepPattern().Match(line)).Success)
        {
            _legacyStep = new Vertex(m.Groups["instruction"].Value.Trim()) { StepNumber = int.Parse(m.Groups["step"].Value, System.Globalization.CultureInfo.InvariantCulture) };
            _all.Add(line);
            return;
        }

        _all.Add(line);
        if ((m = LegacyFailurePattern().Match(line)).Success)
        {
            _errorLine ??= line.Trim();
            _exitCode ??= int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (_legacyStep is not null)
            {
                _legacyStep.Failed = true;
            }

            return;
        }

        if (line.StartsWith("ERROR:", StringComparison.Ordinal) || line.StartsWith("error:", StringComparison.OrdinalIgnoreCase)
            || line.StartsWith("failed to solve", StringComparison.Ordinal) || line.Contains("executor failed running", StringComparison.Ordinal)
            || line.StartsWith("Error response from daemon", StringComparison.Ordinal))
        {
            _errorLine ??= line.Trim();
            _exitCode ??= ExitCodeOf(line);
            return;
        }

        if (_legacyStep is not null && !line.StartsWith(" ---> ", StringComparison.Ordinal) && !line.StartsWith("Removing intermediate container", StringComparison.Ordinal))
        {
            _legacyStep.Output.Add(line);
        }
    }

    /// <summary>The failure, once the build has ended with a non-zero exit code; null if none was recognised.</summary>
    public BuildFailure? Failure
    {
        get
        {
            string message = _errorLine ?? _all.Lines.LastOrDefault() ?? "docker build failed";
            if (_failedVertexId is not null && _vertices.TryGetValue(_failedVertexId, out var vertex))
            {
                Match stage = StageStepPattern().Match(vertex.Name);
                if (stage.Success)
                {
                    return new BuildFailure(BuildFailureKind.Step, stage.Groups["stage"].Value, stage.Groups["instruction"].Value.Trim(), 0, _exitCode, vertex.Output.Lines, null, message);
                }

                Match metadata = LoadMetadataPattern().Match(vertex.Name);
                if (metadata.Success)
                {
                    return new BuildFailure(BuildFailureKind.BaseImage, null, null, 0, null, [], metadata.Groups["image"].Value, message);
                }

                return new BuildFailure(BuildFailureKind.Other, null, null, 0, _exitCode, vertex.Output.Lines, null, message);
            }

            if (_legacyStep is { Failed: true })
            {
                return new BuildFailure(BuildFailureKind.Step, null, _legacyStep.Name, _legacyStep.StepNumber, _exitCode, _legacyStep.Output.Lines, null, message);
            }

            Match pull = PullFailurePattern().Match(message);
            if (pull.Success)
            {
                return new BuildFailure(BuildFailureKind.BaseImage, null, null, 0, null, [], pull.Groups["image"].Value, message);
            }

            // The legacy builder died on a FROM step without naming the image in its error (an unreachable
            // registry prints only 'Get "https://...": dial tcp: ...'): that FROM's image could not be pulled.
            if (_legacyStep is { Failed: false } from && from.Name.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)
                && from.Name[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => !t.StartsWith("--", StringComparison.Ordinal)) is { } fromImage)
            {
                string reason = _errorLine ?? from.Output.Lines.LastOrDefault(l => l.Trim().Length > 0) ?? message;
                return new BuildFailure(BuildFailureKind.BaseImage, null, null, 0, null, [], fromImage, reason.Trim());
            }

            return _errorLine is null && _all.Seen == 0
                ? null
                : new BuildFailure(BuildFailureKind.Other, null, null, 0, _exitCode, _all.Lines.TakeLast(TailLines).ToList(), null, message);
        }
    }

    private static int? ExitCodeOf(string text)
    {
        Match m = ExitCodePattern().Match(text);
        return m.Success ? int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private sealed class Vertex(string name)
    {
        public string Name { get; } = name;

        public TailBuffer Output { get; } = new(TailLines);

        public int StepNumber { get; init; }

        public bool Failed { get; set; }
    }

    [GeneratedRegex(@"\x1B\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex AnsiPattern();

    // "#5 [builder 2/3] RUN echo one", "#5 0.187 one", "#5 ERROR: ...", "#5 DONE 0.2s"
    [GeneratedRegex(@"^#(?<id>\d+) (?<text>.*)$")]
    private static partial Regex VertexLinePattern();

    // Vertex status lines that say nothing about a failure: "sha256:...", "DONE 0.2s", "CACHED", "transferring context: 2B done".
    [GeneratedRegex(@"^(sha256:[0-9a-f]+|DONE [\d.]+s|CACHED|transferring .*|resolve .*|naming to .*|writing image .*|exporting layers.*)$")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"^(?<time>\d+\.\d+) (?<text>.*)$")]
    private static partial Regex TimedOutputPattern();

    [GeneratedRegex(@"^\[(?<stage>[^\] ]+) \d+/\d+\] (?<instruction>.*)$")]
    private static partial Regex StageStepPattern();

    [GeneratedRegex(@"^\[internal\] load metadata for (?<image>\S+)")]
    private static partial Regex LoadMetadataPattern();

    [GeneratedRegex(@"^Step (?<step>\d+)/\d+ : (?<instruction>.*)$")]
    private static partial Regex LegacyStepPattern();

    [GeneratedRegex(@"returned a non-zero code: (?<code>\d+)")]
    private static partial Regex LegacyFailurePattern();

    [GeneratedRegex(@"exit code: (?<code>\d+)")]
    private static partial Regex ExitCodePattern();

    [GeneratedRegex(@"(?:pull access denied for|manifest for|repository|failed to resolve source metadata for|not found: manifest unknown.*for) (?<image>[^\s,:]+(?::[^\s,]+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex PullFailurePattern();
}
