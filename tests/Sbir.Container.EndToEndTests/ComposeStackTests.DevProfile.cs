using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The dev profile as a data engineer uses it, on one stack per caller: ComposeUp -p:Profile=dev as root
/// and as a throwaway non-root user whose uid is not the image's 1000; what the services and the
/// etl-runner write to the bind mounts belongs to the caller; an SBIR_ETL__ setting in .env reaches the
/// webserver, the daemon and the etl-runner (python -m sbir_etl config) and no other service; the DuckDB
/// prompt opens what the etl-runner wrote, the docs helper serves docs/; editing a source file restarts
/// the webserver and the daemon with the new code, with watchfiles (root's stack) and without it (the
/// other user's stack runs the stand-in image without the package, so reload.py polls).
/// </summary>
public partial class ComposeStackTests
{
    // The issue's bound: both services start again within this of an edit (on the engine's log timestamps).
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(10);

    // How long the test waits for what it then checks (docker calls are slow on a busy machine); not a bound.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Dev_profile_as_root_owns_its_output_passes_prefixed_settings_and_reloads_with_watchfiles()
    {
        ResetDevFolders();
        try
        {
            DevLoop(caller: "0:0", watcher: "watchfiles", account: null);
        }
        finally
        {
            stack.Compose("ComposeDown", "-p:Profile=dev", "-p:SbirComposeRemoveVolumes=true");
        }

        Assert.Equal((0, 0, 0), stack.Leftovers());
    }

    [Fact]
    public void Dev_profile_as_a_non_root_user_owns_its_output_and_reloads_without_watchfiles()
    {
        using var account = HostAccount.Create();
        Assert.NotEqual(1000, account.Uid);
        string root = Path.GetDirectoryName(stack.Repo.Path)!;
        ResetDevFolders();
        account.Own(root);
        stack.Repo.RunAs = account;
        // The caller's environment beats .env, as for compose: this stack runs the image without watchfiles.
        stack.Repo.Environment["SBIR_IMAGE"] = stack.DagsterImageWithoutWatchfiles;
        try
        {
            DevLoop(caller: account.UidGid, watcher: "poll every 0.5 s", account);
            SyntaxErrorIsLoggedAndTheNextGoodEditBringsTheServiceBack();
            stack.Compose("ComposeDown", "-p:Profile=dev", "-p:SbirComposeRemoveVolumes=true").AssertSucceeded();
        }
        finally
        {
            stack.Repo.RunAs = null;
            stack.Repo.Environment.Remove("SBIR_IMAGE");
            stack.Compose("ComposeDown", "-p:Profile=dev", "-p:SbirComposeRemoveVolumes=true");
            HostAccount.GiveBackToRoot(root);
        }

        Assert.Equal((0, 0, 0), stack.Leftovers());
    }

    /// <summary>
    /// Everything the dev loop promises, on a stack that <paramref name="caller"/> (uid:gid) starts with
    /// ComposeUp -p:Profile=dev: health, ownership, settings, the helpers, reload through <paramref name="watcher"/>.
    /// </summary>
    private void DevLoop(string caller, string watcher, HostAccount? account)
    {
        var up = stack.Compose("ComposeUp", "-p:Profile=dev", "-p:SbirComposeBuildImage=" + (account is null ? "true" : "false")).AssertSucceeded();
        Assert.Contains("ComposeUp: the dev stack is healthy", up.Output);
        foreach (string service in new[] { "neo4j", "dagster-webserver", "dagster-daemon" })
        {
            Assert.Matches($@"\n\s*{service}\s+running\s+healthy", up.Output);
        }

        // SBC1114 knows that x-sbir-environment-prefix passes the setting; ComposeUp says so by name, never by value.
        Assert.DoesNotContain("SBC1114", up.Output);
        Assert.Matches($@"x-sbir-environment-prefix: [^\n]*{ComposeStackFixture.PrefixedSetting}[^\n]* to [^\n]*dagster-webserver", up.Output);
        Assert.DoesNotContain(stack.Secret, up.Output);

        // The bind-mount folders: made by ComposeUp before compose started, as the caller.
        foreach (string folder in new[] { "data", "logs", "metrics" })
        {
            Assert.Equal(caller, Owner(Path.Combine(stack.Repo.Path, folder)));
        }

        // The services run as the caller (the entrypoint started as root and dropped to SBIR_HOST_USER).
        string web = stack.ContainerOf("dagster-webserver"), daemon = stack.ContainerOf("dagster-daemon");
        foreach (string container in new[] { web, daemon })
        {
            Assert.Equal(caller, ServiceUser(container));
        }

        // The setting reaches the webserver and the daemon (as the app sees it), masked secrets and all.
        foreach (string container in new[] { web, daemon })
        {
            AssertEffectiveSetting(DockerEngine.DockerOk("exec", container, "python3", "-m", "sbir_etl", "config"));
        }

        // The etl-runner: its effective configuration, then the sample data into ./data, owned by the caller.
        var config = stack.Compose("ComposeRun", "-p:Profile=dev", "-p:SbirComposeRunService=etl-runner", "-p:SbirComposeRunArguments=etl-runner python -m sbir_etl config").AssertSucceeded();
        AssertEffectiveSetting(config.Output);
        var materialized = stack.Compose("ComposeRun", "-p:Profile=dev", "-p:SbirComposeRunService=etl-runner").AssertSucceeded();
        Assert.DoesNotContain(stack.Secret, materialized.Output);
        string processed = Path.Combine(stack.Repo.Path, "data", "processed");
        string[] written = Directory.GetFiles(processed);
        Assert.NotEmpty(written);
        Assert.All(written.Append(processed), f => Assert.Equal(caller, Owner(f)));

        // The DuckDB prompt, run as the guide says, opens what the etl-runner wrote (this image has no DuckDB
        // driver: the JSON Lines rows); a line typed at the prompt is answered.
        var shell = PlainCompose(account, "print('award rows:', len(rows))\n", "--profile", "tools", "run", "--rm", "-T", "duckdb");
        Assert.Matches(@"rows holds the [1-9]\d* records of /app/data/processed/raw_sbir_awards\.jsonl", shell);
        Assert.Matches(@"award rows: [1-9]\d*", shell);

        // The docs helper, started as the guide says, serves docs/.
        Assert.Equal(File.ReadAllText(Path.Combine(stack.Repo.Path, "docs", "README.md")), ServeDocs(account));

        // Secrets under the prefix stay in the services that ask for them: none in the helpers.
        string docs = stack.ContainerOf("docs");
        Assert.DoesNotContain("SBIR_ETL__", DockerEngine.DockerOk("inspect", "--format", "{{json .Config.Env}}", docs));

        ReloadRestartsWebserverAndDaemon(web, daemon, watcher);
    }

    /// <summary>Asserts the prefixed setting in the output of python -m sbir_etl config, and the password masked.</summary>
    private void AssertEffectiveSetting(string output)
    {
        Assert.Contains($"\"batch_size\": {ComposeStackFixture.PrefixedValue}", output);
        Assert.DoesNotContain(stack.Secret, output);
    }

    /// <summary>
    /// Appends an asset to the code location; within <see cref="ReloadDeadline"/> both services log one
    /// restart naming the file, run in a new process, answer their health check, and the webserver serves
    /// the new asset.
    /// </summary>
    private void ReloadRestartsWebserverAndDaemon(string web, string daemon, string watcher)
    {
        foreach (string container in new[] { web, daemon })
        {
            Assert.Contains($"\"watcher\":\"{watcher}\"", DockerEngine.DockerOk("logs", container));
        }

        var before = new[] { web, daemon }.ToDictionary(c => c, c => CodeServers(DockerEngine.DockerOk("logs", c)).Count);
        string asset = "reload_probe_" + Guid.NewGuid().ToString("N")[..8];
        string definitions = Path.Combine(stack.Repo.Path, "src", "sbir_etl", "definitions.py");
        string original = File.ReadAllText(definitions);
        File.WriteAllText(definitions, original + ProbeAsset(asset));
        var edited = DateTimeOffset.UtcNow;
        try
        {
            // Polling docker is slow on a busy machine, so the wait is generous; the bound is checked on the
            // engine's own timestamps of the log lines below.
            WaitFor(() => new[] { web, daemon }.All(c => DockerEngine.DockerOk("logs", c) is { } logs
                    && CodeServers(logs).Count > before[c] && logs.Contains("\"changed\":[\"/app/src/sbir_etl/definitions.py\"]", StringComparison.Ordinal))
                && new[] { web, daemon }.All(Healthy) && WebserverAssets().Contains(asset),
                web + " " + daemon, "restart of both services, healthy, with the new asset");
            var healthy = DateTimeOffset.UtcNow;

            // When each service logged its new start (docker stamps each line as it arrives).
            var restarted = new[] { web, daemon }.Max(c => CodeServerStamps(c)[before[c]]);
            double seconds = (restarted - edited).TotalSeconds;
            TestContext.Current.SendDiagnosticMessage(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"dev reload ({watcher}): edit to both services started again {seconds:0.0} s; seen healthy with the new asset by the test after {(healthy - edited).TotalSeconds:0.0} s"));
            Assert.True(seconds < ReloadDeadline.TotalSeconds, $"the webserver and the daemon started again {seconds:0.0} s after the edit (the bound is {ReloadDeadline.TotalSeconds:0} s)");
            Assert.All(new[] { web, daemon }, c => Assert.Single(Regex.Matches(DockerEngine.DockerOk("logs", c), "\"msg\":\"restarting on file changes\"")));
        }
        finally
        {
            File.WriteAllText(definitions, original);
        }
    }

    /// <summary>The engine's timestamps of the "Started Dagster code server" lines of a container, in order.</summary>
    private static IReadOnlyList<DateTimeOffset> CodeServerStamps(string container)
        => CodeServers(DockerEngine.DockerOk("logs", "--timestamps", container))
            .Select(l => l.Split(' ', 2)[0])
            // RFC 3339 with nanoseconds: .NET reads seven fractional digits.
            .Select(t => DateTimeOffset.Parse(Regex.Replace(t, @"(\.\d{7})\d*", "$1"), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>A syntax error in the code location: a coded line (SBC5221, then SBC5222 when the service fails), and the next good edit brings the webserver back.</summary>
    private void SyntaxErrorIsLoggedAndTheNextGoodEditBringsTheServiceBack()
    {
        string web = stack.ContainerOf("dagster-webserver");
        string definitions = Path.Combine(stack.Repo.Path, "src", "sbir_etl", "definitions.py");
        string original = File.ReadAllText(definitions);
        File.WriteAllText(definitions, original + "\ndef broken(:\n    pass\n");
        try
        {
            WaitFor(() => DockerEngine.DockerOk("logs", web) is { } logs && logs.Contains("\"code\":\"SBC5221\"", StringComparison.Ordinal) && logs.Contains("\"code\":\"SBC5222\"", StringComparison.Ordinal), web, "the SBC5221 and SBC5222 lines");
            string line = DockerEngine.DockerOk("logs", web).Split('\n').First(l => l.Contains("\"code\":\"SBC5221\"", StringComparison.Ordinal));
            Assert.Contains("\"file\":\"/app/src/sbir_etl/definitions.py\"", line);
            Assert.Matches("\"line\":\\d+", line);
        }
        finally
        {
            File.WriteAllText(definitions, original + ProbeAsset("after_the_fix"));
        }

        WaitFor(() => Healthy(web) && WebserverAssets().Contains("after_the_fix"), web, "the webserver healthy again after the good edit");
        File.WriteAllText(definitions, original);
    }

    private void WaitFor(Func<bool> condition, string containers, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"no {what} after {clock.Elapsed.TotalSeconds:0.0} s:\n{string.Join("\n", containers.Split(' ').Select(Tail))}");
            Thread.Sleep(200);
        }
    }

    private static string ProbeAsset(string name) => $"""


        @asset(group_name="sbir", description="Added by the dev profile's reload test.")
        def {name}() -> int:
            return 1


        defs = Definitions(assets=[raw_sbir_awards, neo4j_award_graph, {name}], jobs=[sbir_etl_job])
        """;

    /// <summary>The "Started Dagster code server" lines of a container's log (one per start of the service).</summary>
    private static IReadOnlyList<string> CodeServers(string logs)
        => logs.Split('\n').Where(l => l.Contains("Started Dagster code server", StringComparison.Ordinal)).ToList();

    /// <summary>The container's own health check, run now (docker's status would lag by an interval).</summary>
    private static bool Healthy(string container) => DockerEngine.Docker("exec", container, "/app/scripts/docker/healthcheck.sh").ExitCode == 0;

    private static string Tail(string container) => string.Join('\n', DockerEngine.Docker("logs", "--tail", "15", container).Lines);

    /// <summary>The asset keys the webserver serves (its GraphQL assetNodes), or empty while it does not answer.</summary>
    private string WebserverAssets()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var response = http.PostAsync($"http://127.0.0.1:{stack.EnvValue("DAGSTER_PORT")}/graphql",
                new StringContent("{\"query\": \"{ assetNodes { assetKey { path } } }\"}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode ? response.Content.ReadAsStringAsync().GetAwaiter().GetResult() : string.Empty;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// docker-compose --profile tools up -d docs, as the guide says (as <paramref name="account"/> when given),
    /// then GET /README.md from the published port.
    /// </summary>
    private string ServeDocs(HostAccount? account)
    {
        PlainCompose(account, null, "--profile", "tools", "up", "-d", "docs");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return http.GetStringAsync($"http://127.0.0.1:{stack.EnvValue("DOCS_PORT")}/README.md").GetAwaiter().GetResult();
            }
            catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>
    /// docker-compose on the dev profile's files, in the project folder, as a user types it without the SDK
    /// (as <paramref name="account"/> when given, with <paramref name="stdin"/> as its input); its output, or a failure.
    /// </summary>
    private string PlainCompose(HostAccount? account, string? stdin, params string[] arguments)
    {
        string compose = Tools.Require("docker-compose", "apt-get install docker-compose");
        string[] args = ["-p", stack.ProjectName, "--project-directory", ".", "-f", "docker-compose.yml", "-f", "docker/docker-compose.dev.yml", .. arguments];
        var env = TestRepository.CleanEnvironment();
        account?.AddTo(env);
        IReadOnlyList<string> command = account is null ? [compose, .. args] : account.Wrap(compose, args);
        var result = ProcessRun.Run(command[0], command.Skip(1), stack.Repo.Path, env, TimeSpan.FromMinutes(2), stdin);
        Assert.True(result.ExitCode == 0, $"docker-compose {string.Join(' ', arguments)} failed:\n{result.Output}");
        return result.Output;
    }

    /// <summary>
    /// The uid:gid the service processes of a container run as: reload.py and the Dagster program it
    /// starts (one answer when they agree; the exec'd shell, root, is left out).
    /// </summary>
    private static string ServiceUser(string container)
    {
        const string Script = """
            for p in /proc/[0-9]*; do
              [ "$p" = "/proc/$$" ] && continue
              case $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) in
              *liveness-check*) ;; # a health check docker runs, as root
              *"$1"* | *"$2"* | *"$3"*) awk '/^Uid:/{u=$2} /^Gid:/{g=$2} END{print u ":" g}' "$p/status" ;;
              esac
            done | sort -u
            """;
        return DockerEngine.DockerOk("exec", container, "sh", "-c", Script, "sh", "reload.py", "bin/dagster-webserver", "bin/dagster-daemon").Trim();
    }

    /// <summary>uid:gid of a host file.</summary>
    private static string Owner(string path) => ProcessRun.Run("stat", ["-c", "%u:%g", path]).Output.Trim();

    /// <summary>Removes data/, logs/ and metrics/ of an earlier run and puts the sample's input and docs in place.</summary>
    private void ResetDevFolders()
    {
        foreach (string folder in new[] { "data", "logs", "metrics" })
        {
            string full = Path.Combine(stack.Repo.Path, folder);
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }
        }

        // What a clone of the sample has: the awards CSV the etl-runner reads, the docs the helper serves.
        stack.Repo.CopyFromSample(Path.Combine("data", "raw"), "docs");
    }
}
