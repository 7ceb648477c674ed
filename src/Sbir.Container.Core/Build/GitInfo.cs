using System.Text.RegularExpressions;
using Sbir.Container.Engine;

namespace Sbir.Container.Build;

/// <summary>The revision and source URL of the git repository around a project, for OCI labels.</summary>
/// <param name="Revision">The full commit SHA of HEAD.</param>
/// <param name="SourceUrl">The origin remote as an https URL without credentials, or null.</param>
public sealed partial record GitInfo(string Revision, string? SourceUrl)
{
    /// <summary>
    /// Reads HEAD and the origin remote: from the repository's files when they say it plainly (no process start on every
    /// build), else with the git CLI; null when neither git nor a repository answers.
    /// </summary>
    public static async Task<GitInfo?> ReadAsync(IProcessRunner runner, string directory, string? pathVariable, CancellationToken cancellationToken = default)
    {
        if (Git.GitDirectory.Find(directory) is { } repository && repository.ReadHead() is { } head0
            && repository.ReadOriginUrl() is { Known: true } origin)
        {
            return new GitInfo(head0, ToBrowsableUrl(origin.Url));
        }

        string? git = ExecutableLocator.Find("git", pathVariable);
        if (git is null)
        {
            return null;
        }

        var head = await runner.RunAsync(Spec(git, directory, "rev-parse", "HEAD"), null, cancellationToken).ConfigureAwait(false);
        string revision = head.StandardOutput.FirstOrDefault()?.Trim() ?? string.Empty;
        if (!head.Succeeded || !Regex.IsMatch(revision, "^[0-9a-f]{40,64}$"))
        {
            return null;
        }

        var remote = await runner.RunAsync(Spec(git, directory, "config", "--get", "remote.origin.url"), null, cancellationToken).ConfigureAwait(false);
        string? url = remote.Succeeded ? ToBrowsableUrl(remote.StandardOutput.FirstOrDefault()?.Trim()) : null;
        return new GitInfo(revision, url);
    }

    /// <summary>
    /// Turns a git remote into a public https URL and drops any credentials in it
    /// (https://user:token@host/... would otherwise end up in an image label).
    /// </summary>
    public static string? ToBrowsableUrl(string? remote)
    {
        if (string.IsNullOrWhiteSpace(remote))
        {
            return null;
        }

        remote = remote.Trim();
        Match scp = ScpLikePattern().Match(remote);
        if (scp.Success)
        {
            remote = $"https://{scp.Groups["host"].Value}/{scp.Groups["path"].Value}";
        }

        if (!Uri.TryCreate(remote, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.Scheme is not ("https" or "http" or "ssh" or "git"))
        {
            return null;
        }

        string path = uri.AbsolutePath.EndsWith(".git", StringComparison.Ordinal) ? uri.AbsolutePath[..^4] : uri.AbsolutePath;
        string port = uri.IsDefaultPort || uri.Scheme != "https" ? string.Empty : ":" + uri.Port;
        return $"https://{uri.Host}{port}{path}";
    }

    private static ProcessSpec Spec(string git, string directory, params string[] args)
        => new() { FileName = git, Arguments = args, WorkingDirectory = directory, Timeout = TimeSpan.FromSeconds(20), CaptureLines = 50 };

    [GeneratedRegex(@"^(?:[^@/]+@)?(?<host>[^:/]+):(?<path>[^/].*)$")]
    private static partial Regex ScpLikePattern();
}
