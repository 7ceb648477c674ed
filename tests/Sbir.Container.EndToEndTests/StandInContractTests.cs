using System.Diagnostics;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The stand-ins refuse what the real Neo4j image and the real Dagster programs refuse, rule by rule
/// (the rules and their sources are in StandIns/neo4j/server.py and StandIns/dagster/standin_dagster.py),
/// and accept what they accept. Each case runs the stand-in image as a user would run the real one.
/// </summary>
[Collection(EngineCollection.Name)]
public class StandInContractTests(ComposeStackFixture stack) : IClassFixture<ComposeStackFixture>
{
    private const string Password = "long-enough-password";

    // ---- Neo4j 5 image: NEO4J_AUTH ----

    [Theory]
    [InlineData("neo4j/short", 70, "A password must be at least 8 characters.")]
    [InlineData("neo4j/neo4j", 1, "Invalid value for password. It cannot be 'neo4j', which is the default.")]
    [InlineData("admin/" + Password, 1, "Invalid admin username, it must be neo4j.")]
    [InlineData("neo4j-" + Password, 1, "Invalid value for NEO4J_AUTH")]
    [InlineData("neo4j/with/slash/in-it", 1, "Invalid value for NEO4J_AUTH")]
    public void Neo4j_refuses_a_bad_NEO4J_AUTH(string auth, int exit, string message)
    {
        var run = Neo4j(["-e", "NEO4J_AUTH=" + auth]);
        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(message, run.Output);
    }

    [Fact]
    public void Neo4j_accepts_none_and_a_shorter_minimum_the_configuration_allows()
    {
        AssertStarts(["-e", "NEO4J_AUTH=none"], "anything", expectAuthenticated: true);
        AssertStarts(["-e", "NEO4J_AUTH=neo4j/four", "-e", "NEO4J_dbms_security_auth__minimum__password__length=4"], "four", expectAuthenticated: true);
    }

    [Fact]
    public void Neo4j_checks_the_password_it_was_started_with_and_keeps_the_first_one_in_data()
    {
        string volume = "sbir-e2e-neo4j-data-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            AssertStarts(["-e", "NEO4J_AUTH=neo4j/" + Password, "-v", volume + ":/data"], "wrong-password", expectAuthenticated: false);
            // A new NEO4J_AUTH over the same /data: the stored password still wins (set-initial-password only sets a first one).
            AssertStarts(["-e", "NEO4J_AUTH=neo4j/another-long-password", "-v", volume + ":/data"], Password, expectAuthenticated: true);
        }
        finally
        {
            DockerEngine.Docker("volume", "rm", "-f", volume);
        }
    }

    [Fact]
    public void Neo4j_reads_NEO4J_AUTH_FILE_as_a_secret_and_checks_its_content_as_NEO4J_AUTH()
    {
        // Neo4j 5.24+ (the sample's is 5.26): a NEO4J_*_FILE variable names the file holding the value (a Docker secret).
        string folder = Directory.CreateTempSubdirectory("sbir-e2e-neo4j-secret-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "auth"), "neo4j/" + Password + "\n");
            File.WriteAllText(Path.Combine(folder, "colon"), "neo4j:" + Password + "\n");
            AssertStarts(["-e", "NEO4J_AUTH_FILE=/run/secrets/auth", "-v", folder + ":/run/secrets:ro"], Password, expectAuthenticated: true);
            var run = Neo4j(["-e", "NEO4J_AUTH_FILE=/run/secrets/colon", "-v", folder + ":/run/secrets:ro"]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Invalid value for NEO4J_AUTH", run.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // ---- Neo4j 5 image: settings from NEO4J_* variables, strict validation ----

    [Theory]
    [InlineData("NEO4J_server_memory_heap_maxsize=1G", "Unrecognized setting. No declared setting with name: server.memory.heap.maxsize.")]
    [InlineData("NEO4J_dbms_memory_heap_max__size=lots", "Bad value 'lots' for setting 'server.memory.heap.max_size'")]
    [InlineData("NEO4J_server_bolt_enabled=maybe", "Bad value 'maybe' for setting 'server.bolt.enabled'")]
    public void Neo4j_refuses_unknown_settings_and_bad_values(string variable, string message)
    {
        var run = Neo4j(["-e", "NEO4J_AUTH=none", "-e", variable]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Output);
    }

    [Fact]
    public void Neo4j_accepts_known_settings_renamed_ones_and_unknown_ones_with_strict_validation_off()
    {
        AssertStarts(["-e", "NEO4J_AUTH=none", "-e", "NEO4J_server_memory_heap_max__size=1G", "-e", "NEO4J_server_memory_pagecache_size=512M", "-e", "NEO4J_dbms_memory_heap_max__size=1g"], "x", expectAuthenticated: true);
        AssertStarts(["-e", "NEO4J_AUTH=none", "-e", "NEO4J_server_config_strict__validation_enabled=false", "-e", "NEO4J_server_memory_heap_maxsize=1G"], "x", expectAuthenticated: true);
    }

    // ---- Neo4j 5 image: folders ----

    [Fact]
    public void Neo4j_as_another_user_refuses_a_data_folder_it_cannot_write()
    {
        string data = Directory.CreateTempSubdirectory("sbir-e2e-neo4j-data-").FullName;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var run = Neo4j(["--user", "4321:4321", "-e", "NEO4J_AUTH=none", "-v", data + ":/data"]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Folder /data is not accessible for user: 4321", run.Output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Neo4j_runs_another_command_as_given()
    {
        var run = Neo4j(["-e", "NEO4J_AUTH=none"], "echo", "not-the-server");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("not-the-server", run.Output.Trim());
    }

    // ---- Dagster: code location discovery ----

    [Fact]
    public void The_daemon_command_the_image_once_ran_is_refused()
    {
        // 'dagster-daemon run' in /app with no code location (before the image set DAGSTER_MODULE_NAME):
        // Dagster's usage error, exit 2, the restart loop of the issue.
        var run = Dagster(["-e", "DAGSTER_MODULE_NAME="], "dagster-daemon", "run");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Error: No arguments given and no [tool.dagster] block in pyproject.toml found.", run.Output);
    }

    [Theory]
    [InlineData("pyproject.toml", "[tool.dagster]\nmodule_name = \"sbir_etl.definitions\"\n")]
    [InlineData("workspace.yaml", "load_from:\n  - python_module:\n      module_name: sbir_etl.definitions\n")]
    public void Without_arguments_Dagster_finds_the_code_location_in_the_working_directory(string file, string content)
    {
        var run = Dagster(["-e", "DAGSTER_MODULE_NAME="], "sh", "-c", $"mkdir -p /tmp/project && cd /tmp/project && printf '%s' '{content}' > {file} && dagster definitions validate");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Started Dagster code server for module sbir_etl.definitions", run.Output);
    }

    [Theory]
    [InlineData(new[] { "dagster-webserver", "-w", "/app/no-such-workspace.yaml" }, 2, "Path '/app/no-such-workspace.yaml' does not exist.")]
    [InlineData(new[] { "dagster-webserver", "-f", "x.py", "--package-name", "y" }, 2, "Invalid set of CLI arguments for loading repository/job.")]
    [InlineData(new[] { "dagster-webserver", "--bogus" }, 2, "No such option: --bogus")]
    [InlineData(new[] { "dagster-webserver", "-p", "three-thousand" }, 2, "'three-thousand' is not a valid integer.")]
    [InlineData(new[] { "dagster-daemon", "run", "--log-level", "chatty" }, 2, "'chatty' is not one of")]
    [InlineData(new[] { "dagster", "asset", "list" }, 2, "Invalid set of CLI arguments")]
    public void Dagster_refuses_bad_arguments(string[] command, int exit, string message)
    {
        // 'dagster asset list' has no workspace discovery: only -f, -m or --package-name (or their variables).
        var run = Dagster(command[0] == "dagster" ? ["-e", "DAGSTER_MODULE_NAME="] : [], command);
        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(message, run.Output);
    }

    [Fact]
    public void Dagster_refuses_a_code_location_that_does_not_load()
    {
        var missing = Dagster([], "dagster", "definitions", "validate", "-m", "no_such_module");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("ModuleNotFoundError: No module named 'no_such_module'", missing.Output);

        // A module without Definitions at module scope.
        var empty = Dagster(["-e", "DAGSTER_MODULE_NAME=sbir_etl.config"], "dagster", "definitions", "validate");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("No Definitions, RepositoryDefinition, Job, Pipeline, Graph, or AssetsDefinition found in \"sbir_etl.config\"", empty.Output);
    }

    // ---- Dagster: DAGSTER_HOME and dagster.yaml ----

    [Theory]
    [InlineData("", "DagsterHomeNotSetError")]
    [InlineData("dagster_home", "must be an absolute path")]
    [InlineData("/app/no-such-home", "is not a directory or does not exist")]
    public void The_daemon_refuses_an_unusable_DAGSTER_HOME(string home, string message)
    {
        var run = Dagster(["-e", "DAGSTER_HOME=" + home], "dagster-daemon", "run");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Output);
        var check = Dagster(["-e", "DAGSTER_HOME=" + home], "dagster-daemon", "liveness-check");
        Assert.Equal(1, check.ExitCode);
    }

    [Fact]
    public void Dagster_refuses_a_storage_it_cannot_write_and_an_unknown_dagster_yaml_key()
    {
        var readOnly = Dagster(["--user", "4321:4321"], "dagster-daemon", "run");
        Assert.Equal(1, readOnly.ExitCode);
        Assert.Contains("Permission denied", readOnly.Output);

        var bad = Dagster([], "sh", "-c", "mkdir -p /tmp/home && printf 'run_storge: {}\\n' > /tmp/home/dagster.yaml && DAGSTER_HOME=/tmp/home dagster-daemon liveness-check");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Received unexpected config entry \"run_storge\" at the root.", bad.Output);
    }

    [Fact]
    public void The_liveness_check_fails_without_a_running_daemon()
    {
        var run = Dagster([], "dagster-daemon", "liveness-check");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Daemon(s) not running", run.Output);
    }

    /// <summary>Runs the Neo4j stand-in until it exits (a refusal), within a minute.</summary>
    private ProcessRunResult Neo4j(string[] options, params string[] command)
        => DockerEngine.Docker(["run", "--rm", "--label", "org.sbir.container.test=standin", .. options, stack.Neo4jImage, .. command]);

    /// <summary>Runs a command in the Dagster stand-in image, bypassing the entrypoint scripts (the programs themselves are under test).</summary>
    private ProcessRunResult Dagster(string[] options, params string[] command)
        => DockerEngine.Docker(["run", "--rm", "--network", "none", "--label", "org.sbir.container.test=standin", .. options, "--entrypoint", command[0], stack.DagsterImage, .. command[1..]]);

    /// <summary>Starts the Neo4j stand-in, waits for "Started.", authenticates once with cypher-shell, and removes it.</summary>
    private void AssertStarts(string[] options, string password, bool expectAuthenticated)
    {
        string name = "sbir-e2e-neo4j-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            DockerEngine.DockerOk(["run", "-d", "--name", name, "--label", "org.sbir.container.test=standin", .. options, stack.Neo4jImage]);
            var clock = Stopwatch.StartNew();
            string logs = string.Empty;
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && !logs.Contains("Started.", StringComparison.Ordinal))
            {
                Thread.Sleep(300);
                logs = DockerEngine.Docker("logs", name).Output;
                Assert.True(DockerEngine.DockerOk("inspect", "--format", "{{.State.Running}}", name) == "true", "the stand-in stopped:\n" + logs);
            }

            Assert.Contains("Started.", logs);
            var shell = DockerEngine.Docker("exec", name, "cypher-shell", "-u", "neo4j", "-p", password, "RETURN 1");
            Assert.True(expectAuthenticated == (shell.ExitCode == 0), shell.Output);
        }
        finally
        {
            DockerEngine.Docker("rm", "-f", name);
        }
    }
}
