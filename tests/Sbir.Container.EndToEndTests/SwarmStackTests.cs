using System.Text;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// StackDeploy, StackStatus, StackRollback and StackRemove on a real single-node swarm, with the
/// sample's compose files and entrypoint scripts, the Neo4j stand-in, and the Dagster stand-in pushed
/// to a real registry and deployed by digest: a healthy first deploy; a rolling update to a new digest
/// together with a rotated secret; an image whose health check fails, rolled back by swarm and named in
/// a coded error; a rollback to the previous spec; removal that keeps volumes and secrets until asked.
/// No secret value may appear in a log, in 'docker service inspect', 'docker inspect' or under obj/.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SwarmStackTests : IClassFixture<SwarmFixture>
{
    private static readonly string[] Services = ["neo4j", "dagster-webserver", "dagster-daemon"];

    /// <summary>The services that run the application image, which a new digest updates.</summary>
    private static readonly string[] AppServices = ["dagster-webserver", "dagster-daemon"];
    private readonly SwarmFixture swarm;

    public SwarmStackTests(SwarmFixture swarm)
    {
        Prerequisite.SkipIf(swarm.SkipReason);
        this.swarm = swarm;
    }

    [Fact]
    public void Deploy_update_rotate_roll_back_and_remove_a_stack_by_digest()
    {
        // 1. First deploy: the pushed digest, healthy, reachable.
        string first = swarm.PushStandIn("v1");
        var deploy = swarm.Stack("StackDeploy").AssertSucceeded();
        Assert.Contains($"StackDeploy: stack {swarm.StackName} converged", deploy.Output);
        Assert.Contains($"secret {swarm.StackName}_NEO4J_AUTH_v1 created", deploy.Output);
        Assert.All(Services, s => Assert.Matches($@"\n\s*{s}\s+1/1\s+\S+\s+\S+\s+healthy", deploy.Output));
        Assert.Equal(first, ImageOf("dagster-webserver"));
        Assert.Equal(first, ImageOf("dagster-daemon"));
        Assert.Contains("dagster_webserver_version", Http($"http://127.0.0.1:{swarm.WebPort}/server_info"));
        AssertNoSecretAnywhere(deploy.Output);

        // 2. A new digest: a rolling update of the Dagster services (Neo4j's spec does not change).
        string second = swarm.PushStandIn("v2");
        Assert.NotEqual(first, second);
        var update = swarm.Stack("StackDeploy", "v2").AssertSucceeded();
        Assert.Contains("updating", update.Output);
        Assert.All(AppServices, s => Assert.Equal("completed", Inspect(s, "{{.UpdateStatus.State}}")));
        Assert.Equal(second, ImageOf("dagster-webserver"));
        AssertNoSecretAnywhere(update.Output);

        // 2b. A new password while Neo4j has data: Neo4j would keep the stored one, so StackDeploy stops before anything changes.
        swarm.WriteEnv(swarm.RotatedSecret);
        var refused = swarm.Stack("StackDeploy", "v2").AssertFailed();
        Assert.Contains("Neo4j already has data", refused.Single("SBC7028").Message);
        Assert.Contains("-p:SbirStackNeo4jPasswordChanged=true", refused.Output);
        Assert.DoesNotContain("_v2 created", refused.Output);
        Assert.Contains($"{swarm.StackName}_NEO4J_AUTH_v1", Inspect("neo4j", "{{json .Spec.TaskTemplate.ContainerSpec.Secrets}}"));
        AssertNoSecretAnywhere(refused.Output);
        swarm.WriteEnv(swarm.FirstSecret);

        // 3. StackRollback: the updated services back to the spec before the last deploy, the first digest.
        var rollback = swarm.Stack("StackRollback").AssertSucceeded();
        Assert.Contains($"StackRollback: stack {swarm.StackName} rolled back", rollback.Output);
        Assert.Equal(first, ImageOf("dagster-webserver"));
        Assert.All(AppServices, s => Assert.Equal("rollback_completed", Inspect(s, "{{.UpdateStatus.State}}")));
        AssertNoSecretAnywhere(rollback.Output);

        // 4. An image whose health check fails: swarm rolls it back, StackDeploy names the service, the task's error and the health output.
        // (The first password again, so that only the Dagster services change.)
        swarm.WriteEnv(swarm.FirstSecret);
        string broken = swarm.PushStandIn("v3", "USER root\nRUN printf '#!/bin/sh\\necho \"stand-in: this image fails its health check on purpose\" >&2\\nexit 1\\n' > /app/scripts/docker/healthcheck.sh\nUSER sbir\n");
        var failed = swarm.Stack("StackDeploy", "v3").AssertFailed();
        var rolledBack = failed.Diagnostics.Where(d => d.Code == "SBC7020").ToList();
        Assert.Contains(rolledBack, d => d.Message.StartsWith("Service 'dagster-webserver': the update to " + broken, StringComparison.Ordinal));
        Assert.Contains("rolled it back to " + first, rolledBack[0].Message);
        Assert.Contains("fails its health check on purpose", failed.Output);
        Assert.Equal(first, ImageOf("dagster-webserver"));
        Assert.Equal(first, ImageOf("dagster-daemon"));
        Assert.Equal("rollback_completed", Inspect("dagster-webserver", "{{.UpdateStatus.State}}"));
        AssertNoSecretAnywhere(failed.Output);

        // StackStatus reports a moment: under load the rolled-back task may still be starting (0/1) when it is asked first.
        const string RolledBackRow = @"dagster-webserver\s+1/1\s+\S+@sha256:\S+\s+rollback completed\s+(healthy|starting)";
        var status = swarm.Stack("StackStatus").AssertSucceeded();
        for (int attempt = 0; attempt < 20 && !System.Text.RegularExpressions.Regex.IsMatch(status.Output, RolledBackRow); attempt++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(3));
            status = swarm.Stack("StackStatus").AssertSucceeded();
        }

        Assert.Matches(RolledBackRow, status.Output);
        Assert.Contains("dockerexec: unhealthy container", status.Output);

        // 5. StackRemove keeps volumes and secrets unless asked; then nothing is left.
        swarm.Stack("StackRemove").AssertSucceeded();
        var kept = swarm.Leftovers();
        Assert.Equal((0, 0), (kept.Services, kept.Networks));
        Assert.True(kept.Secrets >= 2, $"secrets kept: {kept.Secrets}");
        Assert.True(kept.Volumes > 0, "volumes kept");
        var withoutData = swarm.Stack("StackRemove", "v1", "-p:SbirStackRemoveVolumes=true").AssertSucceeded();
        Assert.Contains("volume " + swarm.StackName + "_neo4j_data", withoutData.Output);

        // 6. A changed secret rotates: on a stack without data the new password is deployed as a new secret version.
        // (The first image by its digest: DockerPush's record names the last push, the broken one.)
        swarm.WriteEnv(swarm.RotatedSecret);
        swarm.Repo.Environment["SBIR_IMAGE"] = first;
        var rotated = swarm.Stack("StackDeploy", "v1").AssertSucceeded();
        swarm.Repo.Environment.Remove("SBIR_IMAGE");
        Assert.Contains($"secret {swarm.StackName}_NEO4J_AUTH_v2 created", rotated.Output);
        Assert.Contains($"secret {swarm.StackName}_SBIR_ETL__NEO4J__PASSWORD_v2 created", rotated.Output);
        Assert.Contains($"{swarm.StackName}_NEO4J_AUTH_v2", Inspect("neo4j", "{{json .Spec.TaskTemplate.ContainerSpec.Secrets}}"));
        Assert.All(Services, s => Assert.Matches($@"\n\s*{s}\s+1/1\s+\S+\s+\S+\s+healthy", rotated.Output));
        AssertNoSecretAnywhere(rotated.Output);

        swarm.Stack("StackRemove", "v1", "-p:SbirStackRemoveVolumes=true", "-p:SbirStackRemoveSecrets=true").AssertSucceeded();
        Assert.Equal((0, 0, 0, 0), swarm.Leftovers());
        Assert.Equal(0, DockerEngine.DockerOk("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + swarm.StackName).Length);
    }

    [Fact]
    public void A_tag_without_a_digest_is_refused_where_one_is_required_before_anything_is_deployed()
    {
        swarm.Repo.Environment["SBIR_IMAGE"] = swarm.Repository + ":never-pushed";
        try
        {
            var refused = swarm.Stack("StackDeploy", "v1", "-p:SbirStackRequireDigest=true").AssertFailed();
            var error = refused.Single("SBC7002");
            Assert.EndsWith("docker-compose.yml", error.File);
            Assert.Contains(":never-pushed', a tag without a digest (SbirStackRequireDigest=true)", error.Message);
            Assert.Equal(0, swarm.Leftovers().Services);
        }
        finally
        {
            swarm.Repo.Environment.Remove("SBIR_IMAGE");
        }
    }

    [Fact]
    public void Without_a_swarm_StackDeploy_says_how_to_make_one()
    {
        if (swarm.NotASwarm is not { } outcome)
        {
            Assert.Skip("The engine was in a swarm before the tests started, so its absence could not be shown.");
            return;
        }

        outcome.AssertFailed();
        Assert.Contains("docker swarm init", outcome.Single("SBC7010").Message);
    }

    private string ImageOf(string service) => Inspect(service, "{{.Spec.TaskTemplate.ContainerSpec.Image}}");

    private string Inspect(string service, string format)
        => DockerEngine.DockerOk("service", "inspect", "--format", format, $"{swarm.StackName}_{service}");

    /// <summary>Neither password in the build log, the services, the tasks, the containers, or anything under obj/.</summary>
    private void AssertNoSecretAnywhere(string output)
    {
        var text = new StringBuilder(output);
        string filter = "label=com.docker.stack.namespace=" + swarm.StackName;
        string[] services = DockerEngine.DockerOk("service", "ls", "-q", "--filter", filter).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        text.Append(DockerEngine.DockerOk(["service", "inspect", .. services]));
        string[] tasks = DockerEngine.DockerOk(["service", "ps", "-q", "--no-trunc", .. services]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        text.Append(DockerEngine.DockerOk(["inspect", "--type", "task", .. tasks]));
        string[] containers = DockerEngine.DockerOk("ps", "-aq", "--filter", filter).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        text.Append(DockerEngine.Docker(["inspect", "--type", "container", .. containers]).Output);
        foreach (string file in Directory.GetFiles(Path.Combine(swarm.Repo.Path, "obj"), "*", SearchOption.AllDirectories))
        {
            text.Append(File.ReadAllText(file));
        }

        string all = text.ToString();
        Assert.Contains("NEO4J_AUTH_FILE", all);
        Assert.DoesNotContain(swarm.FirstSecret, all);
        Assert.DoesNotContain(swarm.RotatedSecret, all);
    }

    private static string Http(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return http.GetStringAsync(url).GetAwaiter().GetResult();
    }
}
