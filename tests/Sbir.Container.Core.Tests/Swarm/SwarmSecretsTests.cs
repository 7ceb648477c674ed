using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;
using Sbir.Container.Swarm;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>Swarm secrets: values only on standard input, versions found again by their salted fingerprint.</summary>
public sealed class SwarmSecretsTests
{
    private const string Value = "Secret-Value-4b1d9e";

    private static StackSecret Secret(string key, string value)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("c.yml", $"services:\n  s:\n    image: i:1\n    environment:\n      {key}: ${{V}}\n");
        return StackPlanner.Plan(new StackPlanInput { ProjectDirectory = dir.Path, StackName = "st", Files = [file], Lookup = n => n == "V" ? value : null, DataLabel = "st.data" }).Secrets.Single();
    }

    private static string Inspect(string name, string key, string salt, string fingerprint)
        => "[{\"ID\":\"id-" + name + "\",\"Spec\":{\"Name\":\"" + name + "\",\"Labels\":{\"sbir.container.stack\":\"st\",\"sbir.container.secret\":\"" + key
           + "\",\"sbir.container.salt\":\"" + salt + "\",\"sbir.container.fingerprint\":\"" + fingerprint + "\"}}}]";

    [Fact]
    public void The_fingerprint_depends_on_value_and_salt_and_names_fit_swarms_limit()
    {
        string salt = "00112233445566778899aabbccddeeff";
        Assert.Equal(SwarmSecrets.FingerprintOf(Value, salt), SwarmSecrets.FingerprintOf(Value, salt));
        Assert.NotEqual(SwarmSecrets.FingerprintOf(Value, salt), SwarmSecrets.FingerprintOf(Value + "x", salt));
        Assert.NotEqual(SwarmSecrets.FingerprintOf(Value, salt), SwarmSecrets.FingerprintOf(Value, "ff" + salt[2..]));
        Assert.DoesNotContain(Value, SwarmSecrets.FingerprintOf(Value, salt));

        Assert.Equal("sbir-etl_NEO4J_AUTH_v3", SwarmSecrets.NameOf("sbir-etl", "NEO4J_AUTH", 3));
        string longName = SwarmSecrets.NameOf(new string('s', 40), "SBIR_ETL__NEO4J__PASSWORD_AND_MORE", 12);
        Assert.True(longName.Length <= 64, longName);
        Assert.EndsWith("_v12", longName);
    }

    [Fact]
    public async Task A_new_value_is_created_on_stdin_and_never_in_argv()
    {
        var runner = new ScriptedProcessRunner()
            .On("docker", ["secret", "ls"], 0, "")
            .On("docker", ["secret", "create"], 0, "newid");
        var (names, created, error) = await new SwarmSecrets(new DockerCli("docker", runner)).EnsureAsync("st", [Secret("DB_PASSWORD", Value)], CancellationToken.None);
        Assert.Null(error);
        Assert.Equal("st_DB_PASSWORD_v1", names["DB_PASSWORD"]);
        Assert.Equal(["st_DB_PASSWORD_v1"], created);
        var create = runner.Calls.Single(c => c.Arguments[1] == "create");
        Assert.Equal(Value, create.StandardInput);
        Assert.Equal("-", create.Arguments[^1]);
        Assert.DoesNotContain(create.Arguments, a => a.Contains(Value, StringComparison.Ordinal));
        Assert.DoesNotContain(Value, create.Display);
        Assert.Contains("sbir.container.stack=st", create.Arguments);
    }

    [Fact]
    public async Task The_same_value_reuses_its_version_and_a_changed_one_gets_the_next()
    {
        string salt = "0102030405060708090a0b0c0d0e0f10";
        string existing = Inspect("st_DB_PASSWORD_v2", "DB_PASSWORD", salt, SwarmSecrets.FingerprintOf(Value, salt));
        var runner = new ScriptedProcessRunner()
            .On("docker", ["secret", "ls"], 0, "id-st_DB_PASSWORD_v2")
            .On("docker", ["secret", "inspect"], 0, existing)
            .On("docker", ["secret", "create"], 0, "newid");
        var secrets = new SwarmSecrets(new DockerCli("docker", runner));

        var same = await secrets.EnsureAsync("st", [Secret("DB_PASSWORD", Value)], CancellationToken.None);
        Assert.Equal("st_DB_PASSWORD_v2", same.Names["DB_PASSWORD"]);
        Assert.Empty(same.Created);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments[1] == "create");

        var changed = await secrets.EnsureAsync("st", [Secret("DB_PASSWORD", "Another-Value-77")], CancellationToken.None);
        Assert.Equal("st_DB_PASSWORD_v3", changed.Names["DB_PASSWORD"]);
        Assert.Equal("Another-Value-77", runner.Calls.Single(c => c.Arguments[1] == "create").StandardInput);
    }

    [Fact]
    public async Task A_refused_create_is_SBC7015_without_the_value()
    {
        var runner = new ScriptedProcessRunner()
            .On("docker", ["secret", "ls"], 0, "")
            .On("docker", ["secret", "create"], 1, "", "Error response from daemon: rpc error: code = InvalidArgument");
        var (_, _, error) = await new SwarmSecrets(new DockerCli("docker", runner)).EnsureAsync("st", [Secret("DB_PASSWORD", Value)], CancellationToken.None);
        Assert.Equal("SBC7015", error!.Code);
        Assert.Contains("InvalidArgument", error.Message);
        Assert.DoesNotContain(Value, error.Message);
    }

    [Fact]
    public async Task Pruning_keeps_the_two_newest_versions_of_each_key()
    {
        string salt = "00";
        string json = "[" + string.Join(",", Enumerable.Range(1, 4).Select(v => Inspect($"st_K_v{v}", "K", salt, "f")[1..^1])) + "]";
        var runner = new ScriptedProcessRunner()
            .On("docker", ["secret", "ls"], 0, "a\nb\nc\nd")
            .On("docker", ["secret", "inspect"], 0, json)
            .On("docker", ["secret", "rm"], 0);
        var removed = await new SwarmSecrets(new DockerCli("docker", runner)).PruneAsync("st", CancellationToken.None);
        Assert.Equal(["st_K_v2", "st_K_v1"], removed);
    }
}
