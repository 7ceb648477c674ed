using System.Text.RegularExpressions;
using Sbir.Container.IO;

namespace Sbir.Container.Git;

/// <summary>
/// A git repository read from its files, for the questions a file check can answer without starting git: which commit
/// HEAD is, the origin remote's URL, and which files decide whether a path is ignored. Each answer is null where the files
/// hold something this reader does not follow (reftable, includes, per-worktree configuration): the caller asks git then.
/// </summary>
public sealed partial class GitDirectory
{
    private GitDirectory(string workTree, string gitDir, string commonDir)
    {
        WorkTree = workTree;
        GitDir = gitDir;
        CommonDir = commonDir;
    }

    /// <summary>The working tree's root.</summary>
    public string WorkTree { get; }

    /// <summary>The repository folder of this working tree (.git, or .git/worktrees/NAME for a linked worktree).</summary>
    public string GitDir { get; }

    /// <summary>The folder shared by all worktrees (refs, config, info/exclude).</summary>
    public string CommonDir { get; }

    /// <summary>The repository around <paramref name="directory"/>, or null when there is none (or its .git cannot be followed).</summary>
    public static GitDirectory? Find(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                return new GitDirectory(dir.FullName, dotGit, CommonOf(dotGit));
            }

            if (File.Exists(dotGit))
            {
                // A linked worktree or a submodule: "gitdir: PATH".
                string text = SafeFile.Read(dotGit, 4096).Text.Trim();
                if (!text.StartsWith("gitdir:", StringComparison.Ordinal))
                {
                    return null;
                }

                string gitDir = Path.GetFullPath(text["gitdir:".Length..].Trim(), dir.FullName);
                return Directory.Exists(gitDir) ? new GitDirectory(dir.FullName, gitDir, CommonOf(gitDir)) : null;
            }
        }

        return null;
    }

    /// <summary>The files git consults to tell whether a path in <paramref name="directory"/> is tracked or ignored: the index, info/exclude, and each .gitignore from the working tree's root down to the folder.</summary>
    public IEnumerable<string> IgnoreInputs(string directory)
    {
        yield return Path.Combine(GitDir, "index");
        yield return Path.Combine(CommonDir, "info", "exclude");
        string full = Path.GetFullPath(directory);
        for (var dir = new DirectoryInfo(full); dir is not null && dir.FullName.StartsWith(WorkTree, StringComparison.Ordinal); dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, ".gitignore");
        }
    }

    /// <summary>The commit HEAD points at, or null when it cannot be read from the files.</summary>
    public string? ReadHead()
    {
        string head = SafeFile.Read(Path.Combine(GitDir, "HEAD"), 4096).Text.Trim();
        if (IsObjectId(head))
        {
            return head;
        }

        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return null;
        }

        string name = head[5..].Trim();
        foreach (string root in new[] { GitDir, CommonDir }.Distinct(StringComparer.Ordinal))
        {
            var loose = SafeFile.Read(Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar)), 4096);
            if (loose.Succeeded && IsObjectId(loose.Text.Trim()))
            {
                return loose.Text.Trim();
            }
        }

        var packed = SafeFile.Read(Path.Combine(CommonDir, "packed-refs"));
        foreach (string line in packed.Text.Split('\n'))
        {
            string[] parts = line.Trim().Split(' ');
            if (parts.Length == 2 && parts[1] == name && IsObjectId(parts[0]))
            {
                return parts[0];
            }
        }

        return null;
    }

    /// <summary>
    /// The origin remote's URL from the repository's config: (true, url) when found, (true, null) when the config has no
    /// such remote, (false, null) when the config uses what this reader does not follow (includes, per-worktree config).
    /// </summary>
    public (bool Known, string? Url) ReadOriginUrl()
    {
        var config = SafeFile.Read(Path.Combine(CommonDir, "config"));
        if (!config.Succeeded)
        {
            return (false, null);
        }

        string text = config.Text;
        if (text.Contains("[include", StringComparison.OrdinalIgnoreCase) || text.Contains("worktreeconfig", StringComparison.OrdinalIgnoreCase))
        {
            return (false, null);
        }

        bool inOrigin = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inOrigin = RemoteOrigin().IsMatch(line);
                continue;
            }

            if (inOrigin && UrlLine().Match(line) is { Success: true } url)
            {
                string value = url.Groups[1].Value.Trim();
                return value.Contains('"') || value.Contains('\\') ? (false, null) : (true, value);
            }
        }

        return (true, null);
    }

    private static string CommonOf(string gitDir)
    {
        var common = SafeFile.Read(Path.Combine(gitDir, "commondir"), 4096);
        return common.Succeeded ? Path.GetFullPath(common.Text.Trim(), gitDir) : gitDir;
    }

    private static bool IsObjectId(string text) => text.Length is 40 or 64 && text.All(Uri.IsHexDigit);

    [GeneratedRegex("""^\[\s*remote\s+"origin"\s*\]$""")]
    private static partial Regex RemoteOrigin();

    [GeneratedRegex(@"^url\s*=\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlLine();
}
