using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// The swarm targets of the packed SDK as MSBuild runs them, before any engine is asked: their defaults
/// (profile prod, the stack named after the compose project), their extension points, the kill switch,
/// and coded errors for bad property values.
/// </summary>
public class StackTargetsTests
{
    private static TestRepository App(string? project = null)
    {
        var repo = TestRepository.Create("sbir-etl", project);
        OfflineApp.WriteInto(repo);
        repo.Write(".env", "NEO4J_PASSWORD=Stack-Targets-Secret-1\n");
        return repo;
    }

    [Fact]
    public void StackDeploy_resolves_its_settings_and_runs_its_extension_points_in_order()
    {
        string marker = Guid.NewGuid().ToString("N");
        using var repo = App($"""
            <Project Sdk="Sbir.Container.Sdk/{RepoPaths.SdkVersion}">
              <PropertyGroup>
                <StackDeployDependsOn>$(StackDeployDependsOn);MyStep</StackDeployDependsOn>
              </PropertyGroup>
              <Target Name="BeforeStackDeploy"><Message Importance="high" Text="before-{marker} $(SbirComposeProfile) $(SbirStackName) $(SbirStackDataLabel) $(SbirStackFile)" /></Target>
              <Target Name="MyStep"><Message Importance="high" Text="extra-{marker}" /></Target>
            </Project>
            """);
        var result = repo.MSBuild("-t:StackDeploy", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
        int before = result.Output.IndexOf("before-" + marker, StringComparison.Ordinal);
        int extra = result.Output.IndexOf("extra-" + marker, StringComparison.Ordinal);
        Assert.True(before >= 0 && extra > before, result.Output);
        Assert.Contains($"before-{marker} prod sbir-etl sbir-etl.data {Path.Combine(repo.Path, "obj", "SbirContainer")}/stack/sbir-etl.stack.yml", result.Output);
        result.Single("SBC5001");
    }

    [Theory]
    [InlineData("SbirStackRequireDigest", "maybe")]
    [InlineData("SbirStackEndpointMode", "bridge")]
    [InlineData("SbirStackName", "no/slashes")]
    [InlineData("SbirStackWaitTimeout", "0")]
    public void A_bad_property_value_is_SBC0017_before_the_engine_is_asked(string property, string value)
    {
        using var repo = App();
        var error = repo.MSBuild("-t:StackDeploy", $"-p:{property}={value}", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed().Single("SBC0017");
        Assert.StartsWith($"The property {property} has the value '{value}'", error.Message);
        Assert.EndsWith("sbir-etl.proj", error.File);
    }

    [Fact]
    public void The_other_stack_targets_do_not_validate_and_the_kill_switch_skips_them_all()
    {
        using var repo = TestRepository.Create("sbir-etl");
        foreach (string target in new[] { "StackStatus", "StackRollback", "StackRemove" })
        {
            var result = repo.MSBuild("-t:" + target, "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
            Assert.Equal(["SBC5001"], result.Errors.Select(e => e.Code).Distinct());
        }

        repo.MSBuild("-t:StackDeploy;StackStatus;StackRollback;StackRemove", "-p:EnableSbirContainer=false", "-p:SbirDockerCli=/nonexistent/docker").AssertSucceeded();
    }
}
