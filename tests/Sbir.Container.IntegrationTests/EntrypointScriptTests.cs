using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// The sample's entrypoint scripts: shellcheck -s sh, dash -n and their behaviour scenarios, all in
/// tests/scripts/run.sh (POSIX sh, run with dash). Needs dash, shellcheck and python3.
/// </summary>
public class EntrypointScriptTests
{
    [Fact]
    public void Scripts_pass_shellcheck_dash_and_their_scenarios()
    {
        foreach (string tool in new[] { "dash", "shellcheck", "python3" })
        {
            Tools.Require(tool, "apt-get install -y dash shellcheck python3");
        }

        var result = ProcessRun.Run("dash", [Path.Combine(RepoPaths.Root, "tests", "scripts", "run.sh")], RepoPaths.Root, timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.Output);
    }
}
