using System.Diagnostics;
using System.Net;
using Sbir.Container.Engine;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// Two real registries (Debian's docker-registry, Docker's distribution registry 2.8) on 127.0.0.1:
/// one open, one with basic authentication (htpasswd). Docker treats loopback registries as insecure,
/// so both speak plain HTTP. Stopped and deleted at the end.
/// </summary>
public sealed class RegistryFixture : IDisposable
{
    public const string User = "ci-pusher";

    private readonly List<Process> _registries = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sbir-registries-" + Guid.NewGuid().ToString("N")[..8]);

    public RegistryFixture()
    {
        string registry = string.Empty, htpasswd = string.Empty;
        SkipReason = Prerequisite.Check(() =>
        {
            registry = Tools.Require("docker-registry", "apt-get install docker-registry");
            htpasswd = Tools.Require("htpasswd", "apt-get install apache2-utils");
            DockerEngine.Require();
        });
        if (SkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(_root);

        var hash = ProcessRun.Run(htpasswd, ["-Bbn", User, Password]);
        Assert.True(hash.ExitCode == 0, hash.Output);
        File.WriteAllText(Path.Combine(_root, "htpasswd"), hash.Output.Trim() + "\n");

        OpenHost = Start(registry, "open", auth: false);
        AuthHost = Start(registry, "auth", auth: true);
    }

    /// <summary>Why the tests cannot run on this machine, or null (see <see cref="Prerequisite.Check"/>).</summary>
    public string? SkipReason { get; }

    /// <summary>The password of <see cref="User"/> on the authenticated registry.</summary>
    public string Password { get; } = "Reg-" + Guid.NewGuid().ToString("N");

    /// <summary>127.0.0.1:port of the open registry.</summary>
    public string OpenHost { get; } = string.Empty;

    /// <summary>127.0.0.1:port of the registry with basic authentication.</summary>
    public string AuthHost { get; } = string.Empty;

    /// <summary>A fresh DOCKER_CONFIG folder whose config.json holds <paramref name="password"/> for the authenticated registry.</summary>
    public string DockerConfigWith(string password)
    {
        string dir = Path.Combine(_root, "docker-config-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{password}"));
        var config = new Dictionary<string, object> { ["auths"] = new Dictionary<string, object> { [AuthHost] = new Dictionary<string, string> { ["auth"] = auth } } };
        File.WriteAllText(Path.Combine(dir, "config.json"), System.Text.Json.JsonSerializer.Serialize(config));
        return dir;
    }

    public void Dispose()
    {
        foreach (var process in _registries)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Start(string registry, string name, bool auth)
    {
        int port = FreePort.Next();
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        string config = Path.Combine(dir, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {dir}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {(auth ? $"auth:\n  htpasswd:\n    realm: sbir-test\n    path: {_root}/htpasswd\n" : string.Empty)}
            """);
        var process = ProcessRun.Start(registry, ["serve", config], dir, null, out _);
        _registries.Add(process);
        string host = $"127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 100; i++)
        {
            try
            {
                var response = http.GetAsync($"http://{host}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"the {name} registry did not start on {host}");
    }

}
