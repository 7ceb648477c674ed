using Sbir.Container.Configuration;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;
using Sbir.Container.Swarm;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>
/// The stack file rendered from the sample's own prod profile, and the multi-node rules that one machine
/// cannot show on a real swarm: digests, Dagster's storage, Neo4j's replicas, placement, host paths.
/// </summary>
public sealed class StackPlannerTests
{
    private const string Password = "Plan-Secret-7f3a9c1e";
    private const string Digest = "sha256:9c1e5e2b0d4f6a8c1e3b5d7f9a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c";

    private static readonly EnvironmentContract Contract = ContainerConfigLoader.Load(Path.Combine(RepoPaths.Sample, "config", "docker.yaml")).Config.Environment;

    private static StackPlanInput Sample(Dictionary<string, string>? variables = null, int nodes = 1) => new()
    {
        ProjectDirectory = RepoPaths.Sample,
        StackName = "sbir-etl",
        Files = [Path.Combine(RepoPaths.Sample, "docker-compose.yml")],
        Lookup = name => (variables ?? new() { ["NEO4J_PASSWORD"] = Password }).TryGetValue(name, out var v) ? v : null,
        Contract = Contract,
        AppRepository = "sbir-etl",
        NodeCount = nodes,
        DataLabel = "sbir-etl.data",
    };

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string At(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            node = node is YamlSequenceNode list ? list.Children[int.Parse(key)] : ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    private static Dictionary<string, string> Names(StackPlan plan) => plan.Secrets.ToDictionary(s => s.Key, s => "sbir-etl_" + s.Key + "_v1");

    [Fact]
    public void The_sample_prod_profile_renders_with_its_secrets_as_files_and_no_secret_value()
    {
        var plan = StackPlanner.Plan(Sample());
        Assert.True(plan.Succeeded, string.Join("\n", plan.Diagnostics));
        Assert.Equal(["neo4j", "dagster-webserver", "dagster-daemon"], plan.Services.Select(s => s.Name));

        // NEO4J_AUTH=neo4j/<password> and the app's password: two secrets, each read through NAME_FILE.
        var auth = plan.Secrets.Single(s => s.Key == "NEO4J_AUTH");
        Assert.Equal("neo4j/" + Password, auth.Value);
        Assert.Equal(["neo4j"], auth.Services);
        var app = plan.Secrets.Single(s => s.Key == "SBIR_ETL__NEO4J__PASSWORD");
        Assert.Equal(Password, app.Value);
        Assert.Equal(["dagster-webserver", "dagster-daemon"], app.Services);
        Assert.DoesNotContain(Password, auth.ToString());
        // Neo4j reads NEO4J_AUTH only as the initial password of an empty store: StackDeploy guards its rotation (SBC7028).
        Assert.True(auth.IsNeo4jInitialPassword);
        Assert.False(app.IsNeo4jInitialPassword);

        string yaml = plan.Render(Names(plan));
        Assert.DoesNotContain(Password, yaml);
        var root = Parse(yaml);
        Assert.Equal("3.8", At(root, "version"));
        Assert.Equal("/run/secrets/NEO4J_AUTH", At(root, "services", "neo4j", "environment", "NEO4J_AUTH_FILE"));
        Assert.Equal("/run/secrets/SBIR_ETL__NEO4J__PASSWORD", At(root, "services", "dagster-daemon", "environment", "SBIR_ETL__NEO4J__PASSWORD_FILE"));
        Assert.Equal("NEO4J_AUTH", At(root, "services", "neo4j", "secrets", "0", "target"));
        Assert.Equal("sbir-etl_NEO4J_AUTH_v1", At(root, "secrets", "NEO4J_AUTH", "name"));
        Assert.Equal("true", At(root, "secrets", "NEO4J_AUTH", "external"));
        Assert.Equal("neo4j", At(root, "services", "dagster-webserver", "environment", "SBIR_ETL__NEO4J__USERNAME"));
        Assert.False(((YamlMappingNode)((YamlMappingNode)root.Children["services"]).Children["neo4j"]).Children.ContainsKey("depends_on"));
    }

    [Fact]
    public void Dollars_reach_docker_stack_deploy_doubled_so_its_own_interpolation_changes_nothing()
    {
        string yaml = StackPlanner.Plan(Sample()).Render(Names(StackPlanner.Plan(Sample())));
        // The compose file's $${NEO4J_AUTH_FILE...} became ${...} after the SDK's interpolation; docker stack
        // deploy must receive $$ again, or it would expand the variable from its own environment.
        Assert.Contains("$${NEO4J_AUTH_FILE:-/dev/null}", yaml);
        Assert.Contains("-p \\\"$${a#*/}\\\"", yaml);
        Assert.DoesNotContain("\"${", yaml);
    }

    [Fact]
    public void Swarm_defaults_follow_each_service()
    {
        var plan = StackPlanner.Plan(Sample());
        var root = Parse(plan.Render(Names(plan)));
        // Neo4j (one process per store) and the daemon (one per Dagster instance) stop first; the webserver can run twice.
        Assert.Equal("stop-first", At(root, "services", "neo4j", "deploy", "update_config", "order"));
        Assert.Equal("stop-first", At(root, "services", "dagster-daemon", "deploy", "update_config", "order"));
        Assert.Equal("start-first", At(root, "services", "dagster-webserver", "deploy", "update_config", "order"));
        Assert.Equal("rollback", At(root, "services", "dagster-webserver", "deploy", "update_config", "failure_action"));
        Assert.Equal("start-first", At(root, "services", "dagster-webserver", "deploy", "rollback_config", "order"));
        // Monitor: interval x retries + timeout of each health check (10s x 3 + 5s; 10s x 10 + 30s; 15s x 3 + 20s).
        Assert.Equal("35s", At(root, "services", "dagster-webserver", "deploy", "update_config", "monitor"));
        Assert.Equal("2m10s", At(root, "services", "neo4j", "deploy", "update_config", "monitor"));
        Assert.Equal("1m5s", At(root, "services", "dagster-daemon", "deploy", "update_config", "monitor"));
        // restart: unless-stopped becomes the restart policy; every service keeps data in a volume, so all stay on the data node.
        Assert.Equal("any", At(root, "services", "neo4j", "deploy", "restart_policy", "condition"));
        Assert.All(["neo4j", "dagster-webserver", "dagster-daemon"], s => Assert.Equal("node.labels.sbir-etl.data == true", At(root, "services", s, "deploy", "placement", "constraints", "0")));
        Assert.Equal(["neo4j", "dagster-webserver", "dagster-daemon"], plan.NodeBoundServices);
    }

    [Fact]
    public void What_swarm_ignores_is_said_at_its_line()
    {
        var plan = StackPlanner.Plan(Sample());
        var ignored = plan.Diagnostics.Where(d => d.Code == "SBC7001").ToList();
        Assert.All(ignored, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
        Assert.Contains(ignored, d => d.Message.Contains("profiles of service 'etl-runner'") && d.Span.Line > 0);
        Assert.Contains(ignored, d => d.Message.Contains("profiles of service 'duckdb'"));
        Assert.Equal(2, ignored.Count(d => d.Message.StartsWith("Swarm ignores depends_on", StringComparison.Ordinal)));
        string text = File.ReadAllLines(Path.Combine(RepoPaths.Sample, "docker-compose.yml"))[ignored.First(d => d.Message.Contains("depends_on")).Span.Line - 1];
        Assert.Contains("depends_on:", text);
    }

    [Fact]
    public void The_app_image_is_pinned_by_the_digest_DockerPush_recorded_for_its_tag()
    {
        var input = Sample(new() { ["NEO4J_PASSWORD"] = Password, ["SBIR_IMAGE"] = "127.0.0.1:5000/sbir-etl:ci-1" }, nodes: 3) with
        {
            AppRepository = "127.0.0.1:5000/sbir-etl",
            AppTags = ["ci-1", "latest"],
            PushedReference = "127.0.0.1:5000/sbir-etl@" + Digest,
            DagsterConfig = WritePostgresConfig(),
        };
        var plan = StackPlanner.Plan(input);
        Assert.True(plan.Succeeded, string.Join("\n", plan.Diagnostics));
        var web = plan.Services.Single(s => s.Name == "dagster-webserver");
        Assert.Equal("127.0.0.1:5000/sbir-etl@" + Digest, web.Image);
        Assert.Equal("DockerPush", web.PinnedBy);
        Assert.Null(plan.Services.Single(s => s.Name == "neo4j").PinnedBy);

        // A tag DockerPush did not push has no recorded digest: refused on three nodes, at the image line.
        var other = StackPlanner.Plan(input with { Lookup = name => name == "SBIR_IMAGE" ? "127.0.0.1:5000/sbir-etl:other" : name == "NEO4J_PASSWORD" ? Password : null });
        var refused = other.Diagnostics.Where(d => d.Code == "SBC7002").ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains("a swarm of 3 nodes", refused[0].Message);
        Assert.Contains("SBIR_IMAGE", refused[0].Message);
        Assert.Equal(Path.Combine(RepoPaths.Sample, "docker-compose.yml"), refused[0].File);
        Assert.Contains("${SBIR_IMAGE", File.ReadAllLines(refused[0].File!)[refused[0].Span.Line - 1]);
        Assert.False(other.Succeeded);
    }

    [Fact]
    public void A_digest_written_in_the_variable_is_kept_and_a_tag_on_one_node_is_only_a_note()
    {
        var pinned = StackPlanner.Plan(Sample(new() { ["NEO4J_PASSWORD"] = Password, ["SBIR_IMAGE"] = "ghcr.io/acme/sbir-etl@" + Digest }, nodes: 2) with { DagsterConfig = WritePostgresConfig() });
        Assert.True(pinned.Succeeded, string.Join("\n", pinned.Diagnostics));
        Assert.Equal("digest", pinned.Services.Single(s => s.Name == "dagster-daemon").PinnedBy);

        var local = StackPlanner.Plan(Sample());
        Assert.True(local.Succeeded);
        Assert.Contains(local.Diagnostics, d => d.Code == "SBC7007" && d.Severity == DiagnosticSeverity.Info && d.Message.Contains("'sbir-etl:latest'"));

        var required = StackPlanner.Plan(Sample() with { RequireDigest = true });
        Assert.Contains(required.Diagnostics, d => d.Code == "SBC7002" && d.Message.Contains("SbirStackRequireDigest=true"));
        var waived = StackPlanner.Plan(Sample(nodes: 3) with { RequireDigest = false, DagsterConfig = WritePostgresConfig() });
        Assert.True(waived.Succeeded, string.Join("\n", waived.Diagnostics));
    }

    [Fact]
    public void Dagster_on_sqlite_is_refused_on_more_than_one_node_unless_storage_is_a_database()
    {
        string pinned = "ghcr.io/acme/sbir-etl@" + Digest;
        var input = Sample(new() { ["NEO4J_PASSWORD"] = Password, ["SBIR_IMAGE"] = pinned }, nodes: 3);

        // No dagster.yaml: Dagster's default is SQLite under DAGSTER_HOME; the error points at the Dagster
        // service (its DAGSTER_HOME entry when the compose file sets one; the sample's image sets it).
        var none = StackPlanner.Plan(input);
        var error = Assert.Single(none.Diagnostics, d => d.Code == "SBC7004");
        Assert.Contains("the swarm has 3 nodes", error.Message);
        Assert.Contains("dagster", File.ReadAllLines(error.File!)[error.Span.Line - 1]);

        using var dir = new TempDirectory();
        string sqlite = dir.Write("dagster.yaml", "telemetry:\n  enabled: false\nstorage:\n  sqlite:\n    base_dir: /app/dagster_home/storage\n");
        var onSqlite = Assert.Single(StackPlanner.Plan(input with { DagsterConfig = sqlite }).Diagnostics, d => d.Code == "SBC7004");
        Assert.Equal(sqlite, onSqlite.File);
        Assert.Equal(3, onSqlite.Span.Line);

        Assert.True(StackPlanner.Plan(input with { DagsterConfig = WritePostgresConfig() }).Succeeded);
        string legacy = dir.Write("legacy.yaml", string.Join("\n", new[] { "run_storage", "event_log_storage", "schedule_storage" }.Select(s => $"{s}:\n  module: dagster_postgres\n  class: Postgres\n")));
        Assert.True(StackPlanner.Plan(input with { DagsterConfig = legacy }).Succeeded);
        string half = dir.Write("half.yaml", "run_storage:\n  module: dagster_postgres.run_storage\n  class: PostgresRunStorage\n");
        Assert.Contains(StackPlanner.Plan(input with { DagsterConfig = half }).Diagnostics, d => d.Code == "SBC7004" && d.Message.Contains("event_log_storage"));

        // One node: SQLite is what Dagster is made for.
        Assert.True(StackPlanner.Plan(input with { NodeCount = 1 }).Succeeded);
    }

    [Fact]
    public void Compose_rules_that_a_swarm_makes_dangerous_are_errors_at_their_line()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("docker-compose.yml", """
            services:
              neo4j:
                image: neo4j:5.26.0-community
                environment:
                  NEO4J_AUTH: neo4j/${NEO4J_PASSWORD}
                deploy:
                  replicas: 2
              app:
                image: app:1
                command: ["login", "--password", "${NEO4J_PASSWORD}"]
                volumes:
                  - ./data:/data
                healthcheck:
                  test: ["CMD", "true"]
                  start_interval: 2s
                deploy:
                  update_config:
                    order: stop-first
            """);
        var plan = StackPlanner.Plan(new StackPlanInput
        {
            ProjectDirectory = dir.Path,
            StackName = "s",
            Files = [file],
            Lookup = name => name == "NEO4J_PASSWORD" ? Password : null,
            Contract = Contract,
            NodeCount = 2,
            RequireDigest = false,
            DataLabel = "s.data",
        });

        var replicas = Assert.Single(plan.Diagnostics, d => d.Code == "SBC7005");
        Assert.Equal(7, replicas.Span.Line);
        var command = Assert.Single(plan.Diagnostics, d => d.Code == "SBC7003");
        Assert.Equal(10, command.Span.Line);
        Assert.Contains("into command of service 'app'", command.Message);
        Assert.DoesNotContain(Password, command.Message);
        var bind = Assert.Single(plan.Diagnostics, d => d.Code == "SBC7006");
        Assert.Contains(Path.Combine(dir.Path, "data"), bind.Message);
        Assert.Contains(plan.Diagnostics, d => d.Code == "SBC7001" && d.Message.Contains("healthcheck.start_interval"));
        Assert.False(plan.Succeeded);
    }

    [Fact]
    public void The_files_own_deploy_settings_win_and_dnsrr_publishes_ports_on_the_node()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("docker-compose.yml", """
            services:
              web:
                image: web:1
                ports: ["8080:80", "9090"]
                restart: on-failure:4
                deploy:
                  update_config:
                    order: stop-first
                    monitor: 1m
            """);
        var input = new StackPlanInput { ProjectDirectory = dir.Path, StackName = "s", Files = [file], Lookup = _ => null, DataLabel = "s.data" };
        var vip = Parse(StackPlanner.Plan(input).Render(new Dictionary<string, string>()));
        Assert.Equal("stop-first", At(vip, "services", "web", "deploy", "update_config", "order"));
        Assert.Equal("1m", At(vip, "services", "web", "deploy", "update_config", "monitor"));
        Assert.Equal("rollback", At(vip, "services", "web", "deploy", "update_config", "failure_action"));
        Assert.Equal("on-failure", At(vip, "services", "web", "deploy", "restart_policy", "condition"));
        Assert.Equal("4", At(vip, "services", "web", "deploy", "restart_policy", "max_attempts"));
        Assert.Equal("8080:80", At(vip, "services", "web", "ports", "0"));
        Assert.False(((YamlMappingNode)At2(vip, "services", "web", "deploy")).Children.ContainsKey("placement"));

        var plan = StackPlanner.Plan(input with { EndpointMode = "dnsrr" });
        var dnsrr = Parse(plan.Render(new Dictionary<string, string>()));
        Assert.Equal("dnsrr", At(dnsrr, "services", "web", "deploy", "endpoint_mode"));
        Assert.Equal("host", At(dnsrr, "services", "web", "ports", "0", "mode"));
        Assert.Equal("8080", At(dnsrr, "services", "web", "ports", "0", "published"));
        Assert.Equal("80", At(dnsrr, "services", "web", "ports", "0", "target"));
        Assert.Equal("9090", At(dnsrr, "services", "web", "ports", "1"));
    }

    [Fact]
    public void Secret_values_that_differ_between_services_become_two_secrets()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("docker-compose.yml", """
            services:
              a:
                image: a:1
                environment:
                  API_TOKEN: ${TOKEN_A}
              b:
                image: b:1
                environment:
                  - API_TOKEN=${TOKEN_B}
                  - EMPTY_PASSWORD=
            """);
        var plan = StackPlanner.Plan(new StackPlanInput
        {
            ProjectDirectory = dir.Path,
            StackName = "s",
            Files = [file],
            Lookup = name => name switch { "TOKEN_A" => "value-a-123", "TOKEN_B" => "value-b-456", _ => null },
            DataLabel = "s.data",
        });
        Assert.Equal(["API_TOKEN", "b_API_TOKEN"], plan.Secrets.Select(s => s.Key));
        Assert.All(plan.Secrets, s => Assert.Equal("API_TOKEN", s.Target));
        var root = Parse(plan.Render(plan.Secrets.ToDictionary(s => s.Key, s => "s_" + s.Key + "_v1")));
        Assert.Equal("b_API_TOKEN", At(root, "services", "b", "secrets", "0", "source"));
        // An empty value reveals nothing and stays a plain variable.
        Assert.Equal(string.Empty, At(root, "services", "b", "environment", "EMPTY_PASSWORD"));
    }

    [Fact]
    public void A_missing_required_variable_stops_the_plan_with_compose_interpolation_error()
    {
        var plan = StackPlanner.Plan(Sample(new()));
        Assert.False(plan.Succeeded);
        Assert.Contains(plan.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Message.Contains("NEO4J_PASSWORD"));
    }

    private static YamlNode At2(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    private static string WritePostgresConfig()
    {
        string path = Path.Combine(Path.GetTempPath(), "sbir-dagster-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, "storage:\n  postgres:\n    postgres_db:\n      username: dagster\n      password:\n        env: DAGSTER_PG_PASSWORD\n      hostname: postgres\n      db_name: dagster\n      port: 5432\n");
        return path;
    }
}
