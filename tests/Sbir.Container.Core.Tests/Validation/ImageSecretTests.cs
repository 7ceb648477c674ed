using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Validation;

namespace Sbir.Container.Core.Tests.Validation;

/// <summary>
/// Secrets where the image or the build would carry them: files under config/ in any format, files whose name says
/// they are secrets, .env values copied into other files or into build arguments, scripts that cannot run. Each
/// finding names the file and line, and no message carries the value.
/// </summary>
public class ImageSecretTests : IDisposable
{
    /// <summary>The project's real password, as .env holds it.</summary>
    private const string Password = "Zq7-vT4pL9xR2wK8";

    private readonly TempDirectory _dir = new();

    public ImageSecretTests()
    {
        _dir.Write("Dockerfile", "FROM python:3.11-slim AS builder\nFROM python:3.11-slim AS runtime\nCOPY config/ /app/config/\nCOPY scripts/docker/ /app/scripts/docker/\nUSER 1000\n");
        _dir.Write(".dockerignore", ".env\n");
        _dir.Write(".env", $"NEO4J_PASSWORD={Password}\n");
        _dir.Write(".env.example", "NEO4J_PASSWORD=change-me\n");
        _dir.Write("config/docker.yaml", "environment:\n  variables:\n    NEO4J_PASSWORD:\n      secret: true\n      required: true\n");
        _dir.Write("scripts/docker/entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
    }

    public void Dispose() => _dir.Dispose();

    private ValidationResult Validate(Dictionary<string, string>? buildArgs = null)
        => new ContainerValidator(new ScriptedProcessRunner(), new EnvironmentSnapshot([])).Validate(new ValidationRequest
        {
            ProjectDirectory = _dir.Path,
            ConfigFile = Path.Combine(_dir.Path, "config", "docker.yaml"),
            DockerfilePath = Path.Combine(_dir.Path, "Dockerfile"),
            ContextDirectory = _dir.Path,
            BuilderStage = "builder",
            CheckCompose = false,
            BuildArgs = buildArgs ?? [],
        });

    private List<Diagnostic> Findings(string file, ValidationResult? result = null)
    {
        result ??= Validate();
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain(Password, d.Message, StringComparison.Ordinal));
        return result.Diagnostics.Where(d => d.File == Path.Combine(_dir.Path, file)).ToList();
    }

    [Theory]
    [InlineData("config/local.env", "API_TOKEN=tok-7f3a9c1e5b\n", "SBC2001", 1)]
    [InlineData("config/app.json", "{\n  \"database\": {\n    \"password\": \"hunter2-json-value\"\n  }\n}\n", "SBC2001", 3)]
    [InlineData("config/app.toml", "[db]\npassword = \"hunter2-toml-value\"\n", "SBC2001", 2)]
    [InlineData("config/app.properties", "db.url=jdbc:x\ndb.password=hunter2-props\n", "SBC2001", 2)]
    [InlineData("config/notes.txt", "connect with bolt://neo4j:hunter2-url@neo4j:7687\n", "SBC2003", 1)]
    public void Secrets_under_config_are_found_in_every_format_and_said_to_ship_in_the_image(string file, string content, string code, int line)
    {
        _dir.Write(file, content);
        var finding = Assert.Single(Findings(file), d => d.Code == code);
        Assert.Equal(line, finding.Span.Line);
        Assert.Contains("copied into the image (COPY on line 3 of the Dockerfile)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_named_as_a_secret_is_SBC2008_and_its_content_is_masked()
    {
        _dir.Write("config/secrets/neo4j_password", "file-held-secret-value\n");
        var result = Validate();
        var finding = Assert.Single(Findings("config/secrets/neo4j_password", result), d => d.Code == "SBC2008");
        Assert.Contains("config/secrets/neo4j_password", finding.Message, StringComparison.Ordinal);
        Assert.Contains("file-held-secret-value", result.SecretValues);
    }

    [Fact]
    public void Files_outside_the_image_are_not_judged_by_their_name()
    {
        _dir.Write(".dockerignore", ".env\nconfig/secrets/\n");
        _dir.Write("config/secrets/neo4j_password", "file-held-secret-value\n");
        Assert.Empty(Findings("config/secrets/neo4j_password"));
    }

    [Fact]
    public void The_env_password_written_in_another_file_is_SBC2009()
    {
        _dir.Write("config/settings.yaml", $"neo4j:\n  uri: bolt://neo4j:7687\n  note: {Password}\n");
        var finding = Assert.Single(Findings("config/settings.yaml"), d => d.Code == "SBC2009");
        Assert.Equal(3, finding.Span.Line);
        Assert.Contains("NEO4J_PASSWORD", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_argument_holding_the_env_password_is_SBC2010()
    {
        var result = Validate(new() { ["NEO4J_URI"] = $"bolt://neo4j:{Password}@neo4j:7687", ["PYTHON_VERSION"] = "3.11" });
        var finding = Assert.Single(result.Diagnostics, d => d.Code == "SBC2010");
        Assert.Contains("NEO4J_URI", finding.Message, StringComparison.Ordinal);
        Assert.Contains("NEO4J_PASSWORD (from .env)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("--mount=type=secret", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_arguments_of_config_docker_yaml_are_checked_too()
    {
        _dir.Write("config/docker.yaml", $"container:\n  buildArgs:\n    DB_LOGIN: \"neo4j:{Password}\"\n    OTHER: plain\nenvironment:\n  variables:\n    NEO4J_PASSWORD:\n      secret: true\n");
        var result = Validate();
        var finding = Assert.Single(result.Diagnostics, d => d.Code == "SBC2010");
        Assert.Equal(Path.Combine(_dir.Path, "config", "docker.yaml"), finding.File);
        Assert.Single(result.Diagnostics, d => d.Code == "SBC2009" && d.Span.Line == 3);
    }

    [Fact]
    public void A_script_with_crlf_line_endings_is_SBC3130_at_its_first_crlf_line()
    {
        _dir.Write("scripts/docker/entrypoint.sh", "#!/bin/sh\nset -eu\r\nexec \"$@\"\r\n");
        var finding = Assert.Single(Findings("scripts/docker/entrypoint.sh"), d => d.Code == "SBC3130");
        Assert.Equal(2, finding.Span.Line);
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
    }

    [Fact]
    public void A_bare_env_line_is_SBC1007_and_never_echoed()
    {
        const string Pasted = "xK9mQ2vL8pR4wZ7n";
        _dir.Write(".env", $"NEO4J_PASSWORD={Password}\n{Pasted}\n");
        var result = Validate();
        var finding = Assert.Single(Findings(".env", result), d => d.Code == "SBC1007");
        Assert.Equal(2, finding.Span.Line);
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain(Pasted, d.Message, StringComparison.Ordinal));
        Assert.Contains(Pasted, result.SecretValues);
    }

    [Fact]
    public void A_copy_from_outside_the_context_is_SBC3131()
    {
        _dir.Write("Dockerfile", "FROM python:3.11-slim AS builder\nFROM python:3.11-slim AS runtime\nCOPY ../secrets/key /app/key\nADD /etc/ssl/private/server.key /app/\nUSER 1000\n");
        var found = Findings("Dockerfile").Where(d => d.Code == "SBC3131").ToList();
        Assert.Equal([3, 4], found.Select(d => d.Span.Line));
    }

    [Fact]
    public void A_special_file_in_the_image_is_refused_not_read()
    {
        string fifo = IO.SafeFileTests.MakeFifo(_dir, "config/pipe.env");
        var result = Bounded.Run("validating a project with a FIFO under config/", () => Validate());
        Assert.Contains(result.Diagnostics, d => d.Code == "SBC0050" && d.File == fifo);
    }
}
