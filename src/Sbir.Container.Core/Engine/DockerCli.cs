namespace Sbir.Container.Engine;

/// <summary>The IDs of a list of image references, as the engine reports them.</summary>
/// <param name="Ids">One entry per reference: the image ID, or null when the engine does not have it.</param>
/// <param name="EngineFailure">When the engine could not be asked at all (CLI missing, daemon down), the failed process; else null.</param>
public sealed record ImageLookup(IReadOnlyList<string?> Ids, ProcessResult? EngineFailure)
{
    /// <summary>True when the engine answered.</summary>
    public bool Answered => EngineFailure is null;
}

/// <summary>
/// The one wrapper for all docker CLI work: argv as a list, extra environment for secrets, streaming
/// output, and a few typed queries. Builds its commands in methods that unit tests call directly.
/// </summary>
public sealed class DockerCli
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Creates a wrapper around the CLI at <paramref name="executable"/>.</summary>
    public DockerCli(string executable, IProcessRunner runner)
    {
        Executable = executable;
        Runner = runner;
    }

    /// <summary>Full path (or name) of the CLI.</summary>
    public string Executable { get; }

    /// <summary>The process runner.</summary>
    public IProcessRunner Runner { get; }

    /// <summary>Runs the CLI with <paramref name="arguments"/>.</summary>
    public Task<ProcessResult> RunAsync(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        IProcessObserver? observer = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default,
        string? standardInput = null)
        => Runner.RunAsync(
            new ProcessSpec
            {
                FileName = Executable,
                Arguments = arguments,
                Environment = environment ?? new Dictionary<string, string?>(),
                Timeout = timeout,
                WorkingDirectory = workingDirectory,
                StandardInput = standardInput,
            },
            observer,
            cancellationToken);

    /// <summary>
    /// Looks up the IDs of <paramref name="references"/> (names, name:tag or IDs) in one call when all
    /// exist, falling back to one call per reference to tell which are missing.
    /// </summary>
    public async Task<ImageLookup> InspectImageIdsAsync(IReadOnlyList<string> references, CancellationToken cancellationToken = default)
    {
        if (references.Count == 0)
        {
            return new ImageLookup([], null);
        }

        var all = await RunAsync(InspectIdArguments(references), timeout: QueryTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (IsEngineFailure(all))
        {
            return new ImageLookup([], all);
        }

        var lines = all.StandardOutput.Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToList();
        if (all.Succeeded && lines.Count == references.Count)
        {
            return new ImageLookup(lines, null);
        }

        var ids = new List<string?>();
        foreach (string reference in references)
        {
            var one = await RunAsync(InspectIdArguments([reference]), timeout: QueryTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (IsEngineFailure(one))
            {
                return new ImageLookup([], one);
            }

            ids.Add(one.Succeeded ? one.StandardOutput.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() : null);
        }

        return new ImageLookup(ids, null);
    }

    /// <summary>Size in bytes of an image, or null.</summary>
    public async Task<long?> ImageSizeAsync(string reference, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["image", "inspect", "--format", "{{.Size}}", reference], timeout: QueryTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Succeeded && long.TryParse(result.StandardOutput.FirstOrDefault()?.Trim(), out long size) ? size : null;
    }

    /// <summary>The argv of an ID lookup.</summary>
    internal static IReadOnlyList<string> InspectIdArguments(IReadOnlyList<string> references)
        => ["image", "inspect", "--format", "{{.Id}}", .. references];

    /// <summary>
    /// True when a failed query failed because the engine could not be asked (CLI missing or not
    /// starting, daemon down, permission denied), rather than because an image is missing.
    /// </summary>
    public static bool IsEngineFailure(ProcessResult result)
    {
        if (result.Outcome != ProcessOutcome.Exited)
        {
            return true;
        }

        if (result.Succeeded)
        {
            return false;
        }

        string err = result.Stderr;
        return err.Contains("Cannot connect", StringComparison.OrdinalIgnoreCase)
            || err.Contains("permission denied", StringComparison.OrdinalIgnoreCase)
            || err.Contains("Is the docker daemon running", StringComparison.OrdinalIgnoreCase)
            || err.Contains("error during connect", StringComparison.OrdinalIgnoreCase);
    }
}
