using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// A missing tool behind a class fixture is a skip with its reason in 'dotnet test's output, not a
/// failure (xunit v3 reports a skip thrown from a fixture's constructor as a failure), unless
/// SBIR_CONTAINER_E2E=required, as in CI. Proved on the registry tests, run by a real 'dotnet test' of
/// this assembly with a PATH that has everything but docker-registry.
/// </summary>
public sealed class PrerequisiteTests : IDisposable
{
    private readonly string _bin = Path.Combine(Path.GetTempPath(), "sbir-path-" + Guid.NewGuid().ToString("N")[..8]);

    public PrerequisiteTests()
    {
        // A PATH with every program of this one, as links, except docker-registry.
        Directory.CreateDirectory(_bin);
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
        {
            foreach (string program in Directory.EnumerateFiles(dir))
            {
                string link = Path.Combine(_bin, Path.GetFileName(program));
                if (Path.GetFileName(program) != "docker-registry" && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, program);
                }
            }
        }
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public void A_missing_docker_registry_skips_the_registry_tests_with_the_reason()
    {
        var run = RegistryTestsWithoutDockerRegistry(required: false);
        Assert.True(run.ExitCode == 0, "the registry tests should be skipped, not failed:\n" + run.Output);
        Assert.Contains("Skipped: docker-registry is not on PATH (apt-get install docker-registry)", run.Output);
        Assert.Matches(@"Skipped!\s+- Failed:\s+0, Passed:\s+0, Skipped:\s+[1-9]", run.Output);
    }

    [Fact]
    public void A_missing_docker_registry_fails_the_registry_tests_when_required()
    {
        var run = RegistryTestsWithoutDockerRegistry(required: true);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("SBIR_CONTAINER_E2E=required, but docker-registry is not on PATH", run.Output);
        Assert.Matches(@"Failed!\s+- Failed:\s+[1-9]", run.Output);
    }

    private ProcessRunResult RegistryTestsWithoutDockerRegistry(bool required)
    {
        string dotnet = Path.Combine(_bin, "dotnet");
        Assert.True(File.Exists(dotnet), "dotnet is not on PATH");
        var environment = TestRepository.CleanEnvironment();
        environment["PATH"] = _bin;
        environment["SBIR_CONTAINER_E2E"] = required ? "required" : null;
        return ProcessRun.Run(dotnet, ["test", typeof(PrerequisiteTests).Assembly.Location, "--filter", "FullyQualifiedName~RegistryTests"], Path.GetTempPath(), environment, TimeSpan.FromMinutes(5));
    }
}
