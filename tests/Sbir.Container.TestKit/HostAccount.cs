using System.Globalization;

namespace Sbir.Container.TestKit;

/// <summary>
/// A throwaway Linux user for tests that must run a build as someone other than root and other than uid
/// 1000 (the image's user): created with useradd (a uid picked from 20000-59999, its own group, in the
/// docker group so that it reaches the engine), removed with userdel and its home deleted on dispose.
/// Creating it needs root, useradd and setpriv; without them the test is skipped (a failure with
/// SBIR_CONTAINER_E2E=required).
/// </summary>
public sealed class HostAccount : IDisposable
{
    private HostAccount(string name, int uid, int gid, string home)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
        Home = home;
    }

    /// <summary>The login name.</summary>
    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    /// <summary>"uid:gid", as compose and the entrypoint take a user.</summary>
    public string UidGid => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");

    /// <summary>Its home folder (HOME of its builds; NuGet's package folder and the binary logs go under it).</summary>
    public string Home { get; }

    /// <summary>Creates the account, or skips the test when this machine cannot.</summary>
    public static HostAccount Create()
    {
        if (OperatingSystem.IsWindows() || ProcessRun.Run("id", ["-u"]).Output.Trim() != "0")
        {
            Prerequisite.Missing("the test creates a throwaway user, which needs root on Linux");
        }

        Tools.Require("useradd", "apt-get install passwd");
        Tools.Require("setpriv", "apt-get install util-linux");
        int uid = 20000 + Random.Shared.Next(40000);
        string name = "sbir-e2e-" + uid.ToString(CultureInfo.InvariantCulture);
        string home = Path.Combine(Path.GetTempPath(), name + "-home");
        var groups = ProcessRun.Run("getent", ["group", "docker"]).ExitCode == 0 ? new[] { "-G", "docker" } : [];
        var added = ProcessRun.Run("useradd", ["-u", uid.ToString(CultureInfo.InvariantCulture), "-U", .. groups, "-M", "-d", home, "-s", "/usr/sbin/nologin", name]);
        Assert.True(added.ExitCode == 0, "useradd failed:\n" + added.Output);
        int gid = int.Parse(ProcessRun.Run("id", ["-g", name]).Output.Trim(), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(home, "tmp"));
        var account = new HostAccount(name, uid, gid, home);
        account.Own(home);
        return account;
    }

    /// <summary>Gives <paramref name="path"/> and everything under it to this account (chown -R).</summary>
    public void Own(string path) => ChangeOwner(path, UidGid);

    /// <summary>Gives <paramref name="path"/> and everything under it back to root.</summary>
    public static void GiveBackToRoot(string path) => ChangeOwner(path, "0:0");

    /// <summary>
    /// The command line that runs <paramref name="file"/> <paramref name="args"/> as this account: setpriv
    /// with its uid, gid and groups, keeping the environment the caller sets up.
    /// </summary>
    public IReadOnlyList<string> Wrap(string file, IEnumerable<string> args)
        => ["setpriv", "--reuid=" + Uid.ToString(CultureInfo.InvariantCulture), "--regid=" + Gid.ToString(CultureInfo.InvariantCulture), "--init-groups", "--", file, .. args];

    /// <summary>
    /// The variables a build as this account needs on top of the clean environment: its own HOME, NuGet
    /// folder and TMPDIR (NuGet's scratch folder and MSBuild's temporary files then go where dispose removes them).
    /// </summary>
    public void AddTo(IDictionary<string, string?> environment)
    {
        environment["HOME"] = Home;
        environment["TMPDIR"] = Path.Combine(Home, "tmp");
        environment["DOTNET_CLI_HOME"] = Home;
        environment["NUGET_PACKAGES"] = Path.Combine(Home, "nuget");
        environment["USER"] = Name;
        environment["LOGNAME"] = Name;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ProcessRun.Run("userdel", [Name]);
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void ChangeOwner(string path, string owner)
    {
        var result = ProcessRun.Run("chown", ["-R", owner, path]);
        Assert.True(result.ExitCode == 0, $"chown -R {owner} {path} failed:\n{result.Output}");
    }
}
