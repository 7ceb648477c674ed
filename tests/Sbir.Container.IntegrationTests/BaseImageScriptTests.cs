using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// eng/make-base-images.sh, which the sample's offline build runs when the engine lacks its base image:
/// POSIX sh; it reuses images the engine has; as a user other than root it stops before anything
/// (debootstrap needs root) with exit code 3, which the sample turns into SBC0042, and the command to run.
/// The docker CLI is a recording stand-in: these tests need no engine.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BaseImageScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "eng", "make-base-images.sh");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbir-base-" + Guid.NewGuid().ToString("N")[..8]);

    public BaseImageScriptTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "calls.log"), string.Empty);
        File.WriteAllText(Path.Combine(_dir, "docker"), """
            #!/bin/sh
            echo "$*" >> "$(dirname "$0")/calls.log"
            if [ "$1 $2" = "image inspect" ]; then
              [ -n "${FAKE_HAVE_IMAGES:-}" ] && exit 0
              echo "Error: No such image: $3" >&2
              exit 1
            fi
            exit 0
            """.Replace("\r", string.Empty));
        // Readable and runnable by the unprivileged user the test switches to.
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(_dir, "docker"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(_dir, "calls.log"), (UnixFileMode)0b110_110_110);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_script_is_POSIX_sh()
    {
        Assert.Equal(0, ProcessRun.Run(Tools.Require("dash", "apt-get install -y dash"), ["-n", Script]).ExitCode);
        var lint = ProcessRun.Run(Tools.Require("shellcheck", "apt-get install -y shellcheck"), ["-s", "sh", Script]);
        Assert.True(lint.ExitCode == 0, lint.Output);
    }

    [Fact]
    public void Images_the_engine_has_are_reused()
    {
        var run = Run(asNobody: false, ("FAKE_HAVE_IMAGES", "1"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("make-base-images: local/debian-t:1 exists", run.Output);
        Assert.Contains("make-base-images: local/python-t:1 exists", run.Output);
        Assert.DoesNotContain(Calls(), c => !c.StartsWith("image inspect", StringComparison.Ordinal));
    }

    [Fact]
    public void A_user_other_than_root_gets_exit_code_3_and_the_command_to_run_as_root()
    {
        var run = Run(asNobody: true);
        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Contains("making local/debian-t:1 needs debootstrap run as root", run.Output);
        Assert.Contains($"run as root: sudo env DOCKER={_dir}/docker DEBIAN_IMAGE=local/debian-t:1 PYTHON_IMAGE=local/python-t:1 sh {Script}", run.Output);
        Assert.DoesNotContain(Calls(), c => !c.StartsWith("image inspect", StringComparison.Ordinal));
    }

    private ProcessRunResult Run(bool asNobody, params (string Name, string Value)[] extra)
    {
        var env = TestRepository.CleanEnvironment();
        env["DOCKER"] = Path.Combine(_dir, "docker");
        env["DEBIAN_IMAGE"] = "local/debian-t:1";
        env["PYTHON_IMAGE"] = "local/python-t:1";
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        bool root = ProcessRun.Run("id", ["-u"]).Output.Trim() == "0";
        return asNobody && root
            ? ProcessRun.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "sh", Script], _dir, env)
            : ProcessRun.Run("sh", [Script], _dir, env);
    }

    private string[] Calls() => File.ReadAllLines(Path.Combine(_dir, "calls.log"));
}
