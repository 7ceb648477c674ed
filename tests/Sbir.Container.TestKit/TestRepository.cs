using System.Text.RegularExpressions;

namespace Sbir.Container.TestKit;

/// <summary>One diagnostic as printed by MSBuild: file(line,col): error CODE: message.</summary>
public sealed record LoggedDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message);

/// <summary>The outcome of a real 'dotnet build' process.</summary>
public sealed partial record BuildOutcome(int ExitCode, string Output, TimeSpan Elapsed, string BinaryLog)
{
    /// <summary>True when the build succeeded.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Errors and warnings in canonical form, de-duplicated (MSBuild repeats them in its summary).</summary>
    public IReadOnlyList<LoggedDiagnostic> Diagnostics => CanonicalPattern().Matches(Output)
        .Select(m => new LoggedDiagnostic(
            m.Groups["file"].Value.Trim(),
            m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value) : 0,
            m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value) : 0,
            m.Groups["sev"].Value,
            m.Groups["code"].Value,
            m.Groups["msg"].Value.Trim()))
        .Distinct()
        .ToList();

    /// <summary>The errors.</summary>
    public IReadOnlyList<LoggedDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "error").ToList();

    /// <summary>The first diagnostic with <paramref name="code"/>, or a failure that shows the output.</summary>
    public LoggedDiagnostic Single(string code)
    {
        var found = Diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(found.Count >= 1, $"Expected {code} in the build output:\n{Output}");
        return found[0];
    }

    /// <summary>Fails with the output when the build did not succeed.</summary>
    public BuildOutcome AssertSucceeded()
    {
        Assert.True(Succeeded, "The build failed:\n" + Output);
        Assert.DoesNotContain("MSB4018", Output);
        return this;
    }

    /// <summary>Fails with the output when the build succeeded or crashed (MSB4018).</summary>
    public BuildOutcome AssertFailed()
    {
        Assert.False(Succeeded, "The build was expected to fail:\n" + Output);
        Assert.DoesNotContain("MSB4018", Output);
        return this;
    }

    [GeneratedRegex(@"^\s*(?:\d+>)?(?<file>[^\r\n]*?)(?:\((?<line>\d+),(?<col>\d+)(?:,\d+,\d+)?\))?\s*:\s*(?<sev>error|warning) (?<code>[A-Z]+\d+): (?<msg>[^\r\n]*?)(?: \[[^\[\]\r\n]+\])?\s*$", RegexOptions.Multiline)]
    private static partial Regex CanonicalPattern();
}

/// <summary>
/// A temporary repository that uses the packed SDK as a user would: a one-line project file and a
/// NuGet.config naming the test feed. Builds run as real 'dotnet build' processes with a clean
/// environment (no DOCKER_*, COMPOSE_* or SBIR_* variables leak in from the machine).
/// </summary>
public sealed class TestRepository : IDisposable
{
    private static readonly string PackagesFolder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbir-test-nuget-" + System.Environment.ProcessId);
    private readonly string _binlogs;

    private TestRepository(string path, string projectName)
    {
        Path = path;
        ProjectFile = System.IO.Path.Combine(path, projectName + ".proj");
        _binlogs = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbir-test-binlogs");
    }

    /// <summary>The repository folder.</summary>
    public string Path { get; }

    /// <summary>The one-line project file.</summary>
    public string ProjectFile { get; }

    /// <summary>Environment variables given to every build of this repository (on top of the clean environment).</summary>
    public Dictionary<string, string?> Environment { get; } = new();

    /// <summary>The account builds run as (through setpriv), or null for this process's user.</summary>
    public HostAccount? RunAs { get; set; }

    /// <summary>Creates a repository with the one-line project file and the NuGet.config of the test feed.</summary>
    public static TestRepository Create(string projectName = "app", string? projectXml = null)
    {
        var repo = Empty(projectName);
        repo.Write(projectName + ".proj", projectXml ?? $"<Project Sdk=\"Sbir.Container.Sdk/{RepoPaths.SdkVersion}\" />\n");
        repo.UseTestFeed();
        return repo;
    }

    /// <summary>
    /// An empty folder named <paramref name="projectName"/> (inside a unique one, deleted on dispose), for a
    /// project that something else writes (dotnet new); <see cref="UseTestFeed"/> then points it at the SDK.
    /// </summary>
    public static TestRepository Empty(string projectName)
    {
        Assert.True(File.Exists(RepoPaths.Package), $"The SDK package is missing: {RepoPaths.Package}. Build the tests (dotnet build) so that the TestKit packs it.");
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbir-repo-" + Guid.NewGuid().ToString("N")[..10], projectName);
        Directory.CreateDirectory(dir);
        return new TestRepository(dir, projectName);
    }

    /// <summary>Writes the NuGet.config that serves the SDK from the test feed.</summary>
    public void UseTestFeed()
    {
        Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="sbir-test-feed" value="{RepoPaths.Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Copies files or folders of the sample (the same files, so nothing can drift) into this repository.</summary>
    public void CopyFromSample(params string[] relativePaths)
    {
        foreach (string relative in relativePaths)
        {
            string source = System.IO.Path.Combine(RepoPaths.Sample, relative);
            string target = System.IO.Path.Combine(Path, relative);
            if (Directory.Exists(source))
            {
                CopyDirectory(source, target);
            }
            else
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.Copy(source, target, overwrite: true);
            }
        }
    }

    /// <summary>Makes the folder a git repository with one commit and an origin remote (for the OCI labels).</summary>
    public string InitGit(string origin = "https://github.com/example/sbir-etl.git")
    {
        Git("init", "-q", "-b", "main");
        Git("remote", "add", "origin", origin);
        Git("add", "-A");
        Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "test");
        return Git("rev-parse", "HEAD").Output.Trim();
    }

    /// <summary>Runs git in the repository.</summary>
    public ProcessRunResult Git(params string[] args)
    {
        var result = ProcessRun.Run("git", args, Path);
        Assert.True(result.ExitCode == 0, "git " + string.Join(' ', args) + " failed:\n" + result.Output);
        return result;
    }

    /// <summary>Runs 'dotnet build' on the project with <paramref name="arguments"/> (targets, -p: properties).</summary>
    public BuildOutcome Build(params string[] arguments) => Dotnet("build", arguments);

    /// <summary>Runs 'dotnet msbuild' on the project (no implicit restore: the SDK needs none).</summary>
    public BuildOutcome MSBuild(params string[] arguments) => Dotnet("msbuild", arguments);

    /// <summary>Starts 'dotnet build' without waiting, for cancellation tests.</summary>
    public System.Diagnostics.Process StartBuild(out System.Text.StringBuilder output, params string[] arguments)
        => ProcessRun.Start("dotnet", ["build", ProjectFile, "-nologo", "-nodeReuse:false", .. arguments], Path, BuildEnvironment(), out output);

    private BuildOutcome Dotnet(string verb, string[] arguments)
    {
        // Another account writes its binary logs where it may: under its home.
        string binlogs = RunAs is null ? _binlogs : System.IO.Path.Combine(RunAs.Home, "binlogs");
        Directory.CreateDirectory(binlogs);
        RunAs?.Own(binlogs);
        string binlog = System.IO.Path.Combine(binlogs, $"{System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Path))}-{DateTime.UtcNow:HHmmssfff}.binlog");
        string[] dotnet = [verb, ProjectFile, "-nologo", "-nodeReuse:false", "-bl:" + binlog, .. arguments];
        IReadOnlyList<string> command = RunAs is null ? ["dotnet", .. dotnet] : RunAs.Wrap("dotnet", dotnet);
        var result = ProcessRun.Run(command[0], command.Skip(1), Path, BuildEnvironment());
        if (result.ExitCode == 0)
        {
            File.Delete(binlog);
        }

        return new BuildOutcome(result.ExitCode, result.Output, result.Elapsed, binlog);
    }

    /// <summary>
    /// Changes that make a child process's environment clean: no DOCKER_*, COMPOSE_*, SBIR_* or MSBUILD*
    /// variable of this machine leaks into it (null removes a variable).
    /// </summary>
    public static Dictionary<string, string?> CleanEnvironment()
    {
        var env = new Dictionary<string, string?>();
        foreach (string key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("DOCKER_", StringComparison.Ordinal) || key.StartsWith("COMPOSE_", StringComparison.Ordinal)
                || key.StartsWith("SBIR_", StringComparison.Ordinal) || key.StartsWith("MSBUILD", StringComparison.Ordinal)
                || key is "SOURCE_DATE_EPOCH" or "VSTEST_HOST_DEBUG")
            {
                env[key] = null;
            }
        }

        return env;
    }

    /// <summary>The clean environment of a child build.</summary>
    public Dictionary<string, string?> BuildEnvironment()
    {
        var env = CleanEnvironment();
        env["NUGET_PACKAGES"] = PackagesFolder;
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        RunAs?.AddTo(env);
        foreach (var (key, value) in Environment)
        {
            env[key] = value;
        }

        return env;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Copies the folder <paramref name="source"/> into <paramref name="target"/> with its subfolders (no Python caches).</summary>
    public static void CopyDirectory(string source, string target)
    {
        foreach (string dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            if (dir.Contains("__pycache__", StringComparison.Ordinal) || dir.Contains(".pytest_cache", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, dir)));
        }

        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (file.Contains("__pycache__", StringComparison.Ordinal) || file.Contains(".pytest_cache", StringComparison.Ordinal))
            {
                continue;
            }

            string to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            File.Copy(file, to, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(to, File.GetUnixFileMode(file));
            }
        }
    }
}
