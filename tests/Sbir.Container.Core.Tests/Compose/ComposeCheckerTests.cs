using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Compose;

public class ComposeCheckerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<Diagnostic> Check(string compose, string? profile = "prod", Dictionary<string, string>? env = null, bool envRequired = false, string? overlay = null)
    {
        _dir.Write("docker-compose.yml", compose);
        var files = new List<string> { "docker-compose.yml" };
        if (overlay is not null)
        {
            _dir.Write("docker/overlay.yml", overlay);
            files.Add("docker/overlay.yml");
        }

        var settings = new ComposeSettings
        {
            Profiles = new Dictionary<string, ComposeProfileSettings>(StringComparer.OrdinalIgnoreCase) { [profile!] = new(profile!, files, []) },
        };
        env ??= new() { ["NEO4J_PASSWORD"] = "s3cret-value-for-tests" };
        return ComposeChecker.Check(new ComposeCheckInput
        {
            ProjectDirectory = _dir.Path,
            Compose = settings,
            Lookup = n => env.TryGetValue(n, out var v) ? v : null,
            EnvRequired = envRequired,
            AppImage = "sbir-etl",
            AppImageHasHealthcheck = true,
        });
    }

    [Fact]
    public void An_overlay_healthcheck_is_merged_key_by_key_as_compose_does()
    {
        const string compose = """
            services:
              dagster-webserver:
                image: sbir-etl:latest
                command: ["dagster-webserver", "-h", "0.0.0.0", "-p", "3000"]
                healthcheck:
                  test: ["CMD", "/app/scripts/docker/healthcheck.sh"]
                  interval: 10s
            """;
        // Only the timing: the test stays the base file's (compose's merge_healthchecks), so the check still asks /server_info.
        var merged = Check(compose, overlay: "services:\n  dagster-webserver:\n    healthcheck:\n      interval: 3s\n      retries: 5\n");
        Assert.DoesNotContain(merged, d => d.Code == "SBC4012");
        // A new test replaces the old one.
        var replaced = Check(compose, overlay: "services:\n  dagster-webserver:\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n");
        Assert.Contains(replaced, d => d.Code == "SBC4012" && d.File!.EndsWith("overlay.yml", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("test")]
    [InlineData("prod")]
    public void The_sample_stack_is_clean_in_every_profile(string profile)
    {
        var config = ContainerConfigLoader.Load(Path.Combine(RepoPaths.Sample, "config", "docker.yaml")).Config;
        var env = new Dictionary<string, string> { ["NEO4J_PASSWORD"] = "s3cret-value-for-tests" };
        var diagnostics = ComposeChecker.Check(new ComposeCheckInput
        {
            ProjectDirectory = RepoPaths.Sample,
            Compose = config.Compose,
            Lookup = n => env.TryGetValue(n, out var v) ? v : null,
            Contract = config.Environment,
            SettingsKeys = config.SettingsKeys,
            AppImage = config.Container.Image,
            AppImageHasHealthcheck = true,
            Profile = profile,
        });
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Upstream_mistakes_are_each_reported_at_their_line()
    {
        var diagnostics = Check("""
            services:
              neo4j:
                image: neo4j:latest
                environment:
                  NEO4J_AUTH: admin/${NEO4J_PASSWORD}
                healthcheck:
                  test: ["CMD-SHELL", "cypher-shell -u neo4j -p ${NEO4J_PASSWORD} 'RETURN 1'"]
                  interval: 10s
                  timeout: 5s
                  start_period: 10s
              app:
                image: sbir-etl:latest
                volumes:
                  - ./:/app:ro
                  - reports:/app/reports
                depends_on:
                  neo4j:
                    condition: service_healthy
                  redis:
                    condition: service_started
              dagster-daemon:
                image: sbir-etl:latest
                command: ["dagster-daemon"]
                healthcheck:
                  test: ["CMD-SHELL", "ps aux | grep -q dagster-daemon"]
              web:
                image: python:3.11-slim
                depends_on:
                  worker:
                    condition: service_healthy
              worker:
                image: python:3.11-slim
                healthckeck:
                  test: ["CMD", "true"]
            """);

        void Has(string code, int line) => Assert.True(diagnostics.Any(d => d.Code == code && d.Span.Line == line), $"{code} at line {line} in:\n" + string.Join("\n", diagnostics));
        Has("SBC4014", 3);   // neo4j:latest
        Has("SBC4009", 5);   // admin/...
        Has("SBC4010", 7);   // ${NEO4J_PASSWORD} in the health check
        Has("SBC4013", 6);   // start_period 10s, timeout 5s
        Has("SBC4007", 14);  // host bind mount in prod
        Has("SBC4006", 15);  // undeclared volume reports
        Has("SBC4004", 19);  // unknown service redis
        Has("SBC4011", 25);  // ps in a slim image
        Has("SBC4005", 29);  // worker has no (correctly spelled) health check
        Assert.Contains("Did you mean healthcheck?", Assert.Single(diagnostics, d => d.Code == "SBC4002").Message);
        Assert.All(diagnostics, d => Assert.DoesNotContain("s3cret-value-for-tests", d.Message));
    }

    [Fact]
    public void Interpolation_errors_depend_on_whether_the_env_is_required()
    {
        const string compose = "services:\n  a:\n    image: x:1\n    environment:\n      P: ${NEO4J_PASSWORD:?set it}\n";
        var build = Assert.Single(Check(compose, env: []), d => d.Code == "SBC4003");
        Assert.Equal((DiagnosticSeverity.Info, 5), (build.Severity, build.Span.Line));
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(Check(compose, env: [], envRequired: true), d => d.Code == "SBC4003").Severity);
        Assert.Contains("set it", build.Message);
    }

    [Fact]
    public void Dev_profile_wants_host_mounts_and_paths_inside_the_project()
    {
        var diagnostics = Check(
            "services:\n  web:\n    image: sbir-etl:latest\n    command: [\"dagster-webserver\"]\n",
            profile: "dev",
            overlay: "services:\n  web:\n    volumes:\n      - ../data:/app/data\n");
        Assert.Contains(diagnostics, d => d.Code == "SBC4008" && d.Message.Contains("/app/config"));
        Assert.Contains(diagnostics, d => d.Code == "SBC4015" && d.File!.EndsWith("overlay.yml"));
    }

    [Fact]
    public void Merge_keys_and_anchors_are_followed()
    {
        var diagnostics = Check("""
            x-common: &common
              image: sbir-etl:latest
              volumes:
                - data:/app/data
            services:
              a:
                <<: *common
                command: ["etl-runner"]
            volumes:
              data:
            """);
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("services: [\n  broken")]
    [InlineData("\u0001\u0002\u0003")]
    [InlineData("services:\n  a:\n    image: x\n    image: y\n")]
    [InlineData("- a list\n- not a mapping\n")]
    public void Bad_input_is_SBC4001_with_the_file(string text)
    {
        var d = Assert.Single(Check(text), x => x.Code == "SBC4001");
        Assert.EndsWith("docker-compose.yml", d.File);
    }

    [Fact]
    public void Alias_bomb_is_stopped()
    {
        var yaml = new System.Text.StringBuilder("x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int i = 0; i < 12; i++)
        {
            string previous = i == 0 ? "a" : "b" + (i - 1);
            yaml.Append($"x-b{i}: &b{i} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n");
        }

        yaml.Append("services:\n  a:\n    image: x:1\n");
        var diagnostics = Bounded.Run("alias bomb", () => Check(yaml.ToString()));
        Assert.Contains(diagnostics, d => d.Code == "SBC4001" && d.Message.Contains("alias bomb"));
    }

    [Fact]
    public void A_malformed_interpolation_names_its_position_never_the_value()
    {
        var diagnostics = Check("services:\n  a:\n    image: x:1\n    environment:\n      NEO4J_AUTH: neo4j/pw-${!leaky-value\n");
        var d = Assert.Single(diagnostics, d => d.Code == "SBC4003");
        Assert.Contains("character 10", d.Message);
        Assert.DoesNotContain("leaky-value", d.Message);
        Assert.DoesNotContain("pw-", d.Message);
    }

    [Fact]
    public void A_million_open_brackets_are_SBC4001_naming_the_file_not_a_stack_overflow()
    {
        string yaml = "services:\n  a:\n    image: x:1\n    command: " + new string('[', 1_000_000) + "\n";
        var diagnostics = Bounded.Run("deep nesting", () => Check(yaml));
        var d = Assert.Single(diagnostics, d => d.Code == "SBC4001");
        Assert.EndsWith("docker-compose.yml", d.File);
        Assert.Equal(4, d.Span.Line);
        Assert.Contains("deeper than", d.Message);
    }
}
