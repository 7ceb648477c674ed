using Sbir.Container.Build;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Build;

public class ImageBuilderTests : IDisposable
{
    private const string Dockerfile = """
        ARG BASE_IMAGE=python:3.11-slim
        FROM ${BASE_IMAGE} AS builder
        RUN echo build
        FROM ${BASE_IMAGE} AS runtime
        COPY --from=builder /app /app
        USER sbir
        """;

    private readonly TempDirectory _dir = new();
    private readonly FakeDocker _docker = new();
    private readonly Progress _progress = new();

    public ImageBuilderTests()
    {
        _dir.Write("Dockerfile", Dockerfile);
        _dir.Write(".dockerignore", "data/\n.env\n");
        _dir.Write("src/app.py", "print('hi')");
        _dir.Write("data/big.csv", "ignored");
        _dir.Executable("bin/docker");
        _docker.Images["local/python:3.11-slim"] = "sha256:base1";
    }

    public void Dispose() => _dir.Dispose();

    private ImageBuildRequest Request(Action<ImageBuildRequest>? _ = null) => new()
    {
        ProjectDirectory = _dir.Path,
        DockerfilePath = Path.Combine(_dir.Path, "Dockerfile"),
        ContextDirectory = _dir.Path,
        Repository = "sbir-etl",
        Tags = ["latest"],
        RuntimeStage = "runtime",
        BuilderStage = "builder",
        BaseImage = "local/python:3.11-slim",
        StateDirectory = Path.Combine(_dir.Path, "obj", "SbirContainer"),
        Labels = new Dictionary<string, string> { [OciLabels.Created] = DateTime.UtcNow.Ticks.ToString(), [OciLabels.Title] = "sbir-etl" },
    };

    // No engine socket unless a test gives one: the machine's own engine is never asked.
    private Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, EngineSocket? socket = null)
        => new ImageBuilder(_docker, new EnvironmentSnapshot([new("PATH", Path.Combine(_dir.Path, "bin"))]), _progress, _ => socket).BuildAsync(request);

    [Fact]
    public async Task A_no_op_confirmed_by_the_engine_socket_starts_no_process()
    {
        using var engine = new FakeEngineSocket(_docker.Images);
        var socket = new EngineSocket(engine.SocketPath);
        var first = await BuildAsync(Request(), socket);
        _docker.Calls.Clear();
        engine.Requests.Clear();

        var second = await BuildAsync(Request(), socket);
        Assert.True(second.Skipped, string.Join("; ", second.Reasons));
        Assert.Equal(first.ImageId, second.ImageId);
        Assert.Empty(_docker.Calls);
        Assert.Equal(["/images/local/python:3.11-slim/json", "/images/sbir-etl:latest/json", "/images/sbir-etl-builder:latest/json"], engine.Requests);
    }

    [Fact]
    public async Task What_the_socket_does_not_confirm_is_asked_of_the_cli_and_rebuilt()
    {
        using var engine = new FakeEngineSocket(_docker.Images);
        var socket = new EngineSocket(engine.SocketPath);
        await BuildAsync(Request(), socket);

        _docker.Images.Remove("sbir-etl:latest");
        _docker.Calls.Clear();
        var removed = await BuildAsync(Request(), socket);
        Assert.False(removed.Skipped);
        Assert.Contains(_docker.Calls, c => c.Arguments is ["image", "inspect", ..]);
        Assert.Single(_docker.Builds, b => b.Arguments.Contains("runtime"));

        // A new base image: the socket's answer differs from the record, so the CLI decides (and the build runs).
        _docker.Images["local/python:3.11-slim"] = "sha256:base2";
        var rebased = await BuildAsync(Request(), socket);
        Assert.False(rebased.Skipped);
        Assert.Contains(rebased.Reasons, r => r.Contains("base images"));
    }

    [Fact]
    public async Task A_state_from_before_the_base_images_were_kept_is_completed_by_the_next_no_op()
    {
        using var engine = new FakeEngineSocket(_docker.Images);
        var socket = new EngineSocket(engine.SocketPath);
        var first = await BuildAsync(Request(), socket);
        string state = Directory.GetFiles(Path.Combine(_dir.Path, "obj", "SbirContainer"), "*.buildstate.json").Single();
        var old = BuildState.Read(state)! with { BaseImages = null };
        old.Write(state);

        _docker.Calls.Clear();
        Assert.True((await BuildAsync(Request(), socket)).Skipped);
        Assert.Single(_docker.Calls, c => c.Arguments is ["image", "inspect", ..]);
        Assert.Equal(["local/python:3.11-slim"], BuildState.Read(state)!.BaseImages);

        _docker.Calls.Clear();
        Assert.True((await BuildAsync(Request(), socket)).Skipped);
        Assert.Empty(_docker.Calls);
    }

    [Fact]
    public async Task A_no_op_rewrites_no_state_file()
    {
        await BuildAsync(Request());
        string state = Path.Combine(_dir.Path, "obj", "SbirContainer");
        var before = Directory.GetFiles(state).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Thread.Sleep(20);
        Assert.True((await BuildAsync(Request())).Skipped);
        Assert.Equal(before, Directory.GetFiles(state).ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }

    [Fact]
    public async Task Builds_builder_then_runtime_and_records_the_image_id()
    {
        var result = await BuildAsync(Request());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.False(result.Skipped);
        var builds = _docker.Builds.ToList();
        Assert.Equal(2, builds.Count);
        Assert.Contains("builder", builds[0].Arguments);
        Assert.Contains("sbir-etl-builder:latest", builds[0].Arguments);
        Assert.Contains("runtime", builds[1].Arguments);
        Assert.Equal(_docker.Images["sbir-etl:latest"], result.ImageId);
        Assert.Equal(result.ImageId, File.ReadAllText(result.ImageIdFile!).Trim());
        Assert.Equal(123456789, result.Size);
    }

    [Fact]
    public async Task Unchanged_second_build_skips_docker_but_checks_the_images()
    {
        var first = await BuildAsync(Request());
        _docker.Calls.Clear();

        // The created label changes on every build and must not count as a change.
        var second = await BuildAsync(Request());
        Assert.True(second.Skipped, string.Join("; ", second.Reasons));
        Assert.Equal(first.ImageId, second.ImageId);
        Assert.Empty(_docker.Builds);
        Assert.DoesNotContain(_docker.Calls, c => c.Arguments[0] == "version");
        Assert.Single(_docker.Calls, c => c.Arguments is ["image", "inspect", ..]);
    }

    [Fact]
    public async Task Ignored_files_do_not_trigger_a_build_but_context_files_do()
    {
        await BuildAsync(Request());
        _dir.Write("data/big.csv", "changed but ignored");
        Assert.True((await BuildAsync(Request())).Skipped);

        _dir.Write("src/app.py", "print('changed')");
        var result = await BuildAsync(Request());
        Assert.False(result.Skipped);
        Assert.Contains(result.Reasons, r => r.Contains("src/app.py"));
    }

    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("build arguments")]
    [InlineData("base images")]
    [InlineData("tags")]
    public async Task Each_input_that_affects_the_image_triggers_a_build(string input)
    {
        await BuildAsync(Request());
        var request = Request();
        switch (input)
        {
            case "Dockerfile":
                _dir.Write("Dockerfile", Dockerfile + "\nEXPOSE 3000\n");
                break;
            case "build arguments":
                request = request with { BuildArgs = [new("SBIR_UID", "1001")] };
                break;
            case "base images":
                _docker.Images["local/python:3.11-slim"] = "sha256:base2";
                break;
            case "tags":
                request = request with { Tags = ["latest", "1.0"] };
                break;
        }

        var result = await BuildAsync(request);
        Assert.False(result.Skipped);
        Assert.Contains(result.Reasons, r => r.Contains(input == "tags" ? "tags" : input));
    }

    [Fact]
    public async Task A_removed_or_retagged_image_is_rebuilt()
    {
        await BuildAsync(Request());
        _docker.Images.Remove("sbir-etl:latest");
        var result = await BuildAsync(Request());
        Assert.False(result.Skipped);
        Assert.Equal(2, _docker.Builds.Count(b => b.Arguments.Contains("runtime")));
    }

    [Fact]
    public async Task Failing_step_is_SBC5101_at_the_Dockerfile_line_with_its_output()
    {
        _docker.FailingBuildOutput = """
            #6 [builder 2/2] RUN echo build
            #6 0.2 compiling
            #6 0.3 error: no compiler
            #6 ERROR: executor failed running [/bin/sh -c echo build]: exit code: 127
            """;
        var result = await BuildAsync(Request());
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC5101", d.Code);
        Assert.EndsWith("Dockerfile", d.File);
        Assert.Equal(3, d.Span.Line);
        Assert.Contains("RUN echo build failed in stage 'builder' with exit code 127", d.Message);
        Assert.Contains("error: no compiler", d.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "obj", "SbirContainer", ImageBuilder.StateFileName("sbir-etl", "runtime"))));
    }

    [Fact]
    public async Task Legacy_builder_failing_on_an_unreachable_registry_is_SBC5103_naming_the_resolved_image_and_the_local_twin()
    {
        // The legacy builder prints the FROM line unexpanded and, without a registry, no image name at all.
        _docker.ClientVersion = "28.2.2";
        _docker.FailingBuildOutput = "Step 1/6 : ARG BASE_IMAGE=python:3.11-slim\nStep 2/6 : FROM ${BASE_IMAGE} AS builder\nGet \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: server misbehaving";
        var result = await BuildAsync(Request() with { BaseImage = "python:3.11-slim" });
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC5103", d.Code);
        Assert.Equal(2, d.Span.Line);
        Assert.StartsWith("The base image 'python:3.11-slim' is not in the local engine", d.Message);
        Assert.DoesNotContain("${BASE_IMAGE}", d.Message);
        Assert.Contains("-p:SbirContainerBaseImage=local/python:3.11-slim", d.Message);
    }

    [Fact]
    public async Task A_FROM_that_ignores_SbirContainerBaseImage_is_told_so_at_its_line()
    {
        _dir.Write("Dockerfile", "FROM python:3.11-slim AS builder\nRUN echo build\nFROM builder AS runtime\nUSER sbir\n");
        _docker.FailingBuildOutput = "#2 [internal] load metadata for docker.io/library/python:3.11-slim\n#2 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/library/python/manifests/3.11-slim\": dial tcp: lookup registry-1.docker.io: no such host";
        var d = Assert.Single((await BuildAsync(Request())).Diagnostics);
        Assert.Equal("SBC5103", d.Code);
        Assert.Equal(1, d.Span.Line);
        Assert.Contains("'python:3.11-slim'", d.Message);
        Assert.Contains("SbirContainerBaseImage ('local/python:3.11-slim') does not apply to it", d.Message);
    }

    [Theory]
    [InlineData("28.2.2", "DockerBuild: building with the legacy builder, because the docker client has no buildx plugin")]
    [InlineData("20.10.24", "DockerBuild: building with BuildKit (built into")]
    public async Task The_builder_in_use_is_one_milestone_line(string clientVersion, string expected)
    {
        _docker.ClientVersion = clientVersion;
        await BuildAsync(Request());
        var line = Assert.Single(_progress.Milestones, l => l.StartsWith("DockerBuild: building with", StringComparison.Ordinal));
        Assert.StartsWith(expected, line);
        if (clientVersion.StartsWith("28", StringComparison.Ordinal))
        {
            Assert.Contains("no build secrets", line);
            Assert.Contains("--force-rm", _docker.Builds.First().Arguments);
        }
    }

    [Fact]
    public async Task Secrets_with_a_legacy_only_cli_are_SBC5004()
    {
        _docker.ClientVersion = "28.2.2";
        var request = Request() with { Secrets = [new BuildSecret("tok", "TOK", null, "value")] };
        var result = await BuildAsync(request);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC5004", d.Code);
        Assert.Contains("build secrets: tok", d.Message);
        Assert.Empty(_docker.Builds);
    }

    [Fact]
    public async Task Cache_export_without_buildx_is_SBC5006()
    {
        var result = await BuildAsync(Request() with { CacheTo = "type=local,dest=/tmp/c" });
        Assert.Equal("SBC5006", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public async Task Daemon_down_is_SBC5002_before_anything_is_built()
    {
        _docker.DaemonUp = false;
        var result = await BuildAsync(Request());
        Assert.Equal("SBC5002", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public async Task Missing_stage_and_bad_names_are_reported_before_docker_runs()
    {
        var result = await BuildAsync(Request() with { RuntimeStage = "prod", Repository = "Bad Name", Tags = ["ok", "-bad"] });
        Assert.Equal(["SBC0010", "SBC0010", "SBC0011"], result.Diagnostics.Select(d => d.Code).Order());
        Assert.Empty(_docker.Calls);

        var stage = await BuildAsync(Request() with { RuntimeStage = "prod" });
        Assert.Equal("SBC5105", Assert.Single(stage.Diagnostics).Code);
    }

    [Fact]
    public async Task Secret_like_build_argument_is_refused()
    {
        var result = await BuildAsync(Request() with { BuildArgs = [new("NEO4J_PASSWORD", "x")] });
        Assert.Equal("SBC0015", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void External_base_images_skip_stages_and_scratch()
    {
        var doc = Sbir.Container.Dockerfile.DockerfileParser.Parse("ARG B=debian\nFROM ${B} AS a\nFROM a AS b\nFROM scratch\nFROM alpine:3\n");
        Assert.Equal(["local/x", "alpine:3"], ImageBuilder.ExternalBaseImages(Request() with { BaseImage = "local/x", BaseImageArg = "B" }, doc));
    }

    private sealed class Progress : IBuildProgress
    {
        public List<string> Lines { get; } = [];

        public List<string> Milestones { get; } = [];

        public void Status(string message) => Lines.Add(message);

        public void Output(string line) => Lines.Add(line);

        public void Milestone(string message) => Milestones.Add(message);
    }
}
