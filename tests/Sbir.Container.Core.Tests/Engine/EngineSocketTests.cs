using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Engine;

public class EngineSocketTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static EnvironmentSnapshot Env(params (string Name, string Value)[] values)
        => new(values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));

    [Fact]
    public void Answers_ids_and_absent_images_from_the_socket()
    {
        using var engine = new FakeEngineSocket(new Dictionary<string, string> { ["local/python:3.11-slim"] = "sha256:base1", ["sbir-etl:latest"] = "sha256:app1" });
        var ids = new EngineSocket(engine.SocketPath).ImageIds(["local/python:3.11-slim", "sbir-etl:latest", "missing:latest"]);
        Assert.Equal(["sha256:base1", "sha256:app1", null], ids);
        Assert.Equal("/images/local/python:3.11-slim/json", engine.Requests[0]);
    }

    [Theory]
    [InlineData("HTTP/1.0 500 Internal Server Error\r\n\r\n{\"message\":\"boom\"}")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\nnot json")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n{\"NoId\":1}")]
    [InlineData("garbage without a status line")]
    [InlineData("")]
    public void Anything_but_a_clear_answer_is_no_answer(string raw)
    {
        using var engine = new FakeEngineSocket(new Dictionary<string, string>()) { RawResponse = raw };
        Assert.Null(new EngineSocket(engine.SocketPath).ImageIds(["sbir-etl:latest"]));
    }

    [Fact]
    public void An_answer_larger_than_one_read_arrives_whole()
    {
        // The engine's inspect of a builder image with many layers runs to tens of kilobytes: more than one read.
        string big = new('x', 100_000);
        using var engine = new FakeEngineSocket(new Dictionary<string, string>()) { RawResponse = $"HTTP/1.0 200 OK\r\n\r\n{{\"Pad\":\"{big}\",\"Id\":\"sha256:big\"}}" };
        Assert.Equal(["sha256:big"], new EngineSocket(engine.SocketPath).ImageIds(["sbir-etl:latest"]));
    }

    [Fact]
    public async Task An_engine_that_never_answers_is_no_answer_after_the_timeout()
    {
        using var engine = new FakeEngineSocket(new Dictionary<string, string>()) { Silent = true };
        // The fake holds the connection for a minute; the socket's own timeout (2 s) must end the wait long before.
        var asked = System.Threading.Tasks.Task.Run(() => new EngineSocket(engine.SocketPath).ImageIds(["sbir-etl:latest"]));
        var ids = await asked.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(ids);
    }

    [Fact]
    public void A_socket_nobody_listens_on_is_no_answer()
    {
        string path = Path.Combine(_dir.Path, "dead.sock");
        File.WriteAllText(path, string.Empty);
        Assert.Null(new EngineSocket(path).ImageIds(["sbir-etl:latest"]));
    }

    [Fact]
    public void The_socket_is_the_one_the_docker_cli_would_use_or_none()
    {
        using var engine = new FakeEngineSocket(new Dictionary<string, string>());
        string cli = _dir.Executable("bin/docker");
        string home = _dir.Path;

        Assert.Equal(engine.SocketPath, EngineSocket.For(cli, Env(("DOCKER_HOST", "unix://" + engine.SocketPath), ("HOME", home)))?.Path);
        Assert.Null(EngineSocket.For(cli, Env(("DOCKER_HOST", "tcp://10.0.0.1:2376"), ("HOME", home))));
        Assert.Null(EngineSocket.For(cli, Env(("DOCKER_HOST", "ssh://builder@host"), ("HOME", home))));
        Assert.Null(EngineSocket.For(_dir.Executable("bin/podman"), Env(("DOCKER_HOST", "unix://" + engine.SocketPath), ("HOME", home))));
        Assert.Null(EngineSocket.For(cli, Env(("DOCKER_HOST", "unix://" + Path.Combine(_dir.Path, "absent.sock")), ("HOME", home))));

        // Without DOCKER_HOST: a named context (variable or config.json) is the CLI's business; "default" is the default socket.
        Assert.Null(EngineSocket.For(cli, Env(("DOCKER_CONTEXT", "remote"), ("HOME", home))));
        _dir.Write(".docker/config.json", "{\"currentContext\": \"colima\"}");
        Assert.Null(EngineSocket.For(cli, Env(("HOME", home))));
        _dir.Write(".docker/config.json", "{\"currentContext\": ");
        Assert.Null(EngineSocket.For(cli, Env(("HOME", home))));
        _dir.Write(".docker/config.json", "{\"currentContext\": \"default\", \"auths\": {}}");
        Assert.Equal(File.Exists(EngineSocket.DefaultPath) ? EngineSocket.DefaultPath : null, EngineSocket.For(cli, Env(("HOME", home)))?.Path);

        // DOCKER_HOST wins over a context, as in the CLI.
        Assert.Equal(engine.SocketPath, EngineSocket.For(cli, Env(("DOCKER_HOST", "unix://" + engine.SocketPath), ("DOCKER_CONTEXT", "remote"), ("HOME", home)))?.Path);
    }

    [Theory]
    [InlineData("registry.example.com:5000/team/sbir-etl@sha256:abc", "registry.example.com:5000/team/sbir-etl@sha256:abc")]
    [InlineData("name with space", "name%20with%20space")]
    [InlineData("a?b#c", "a%3Fb%23c")]
    public void References_are_path_safe(string reference, string escaped)
        => Assert.Equal(escaped, EngineSocket.EscapeReference(reference));
}
