using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;
using Sbir.Container.Validation;

namespace Sbir.Container.Core.Tests.Validation;

/// <summary>What ContainerValidate says about a small project before docker runs (no git on PATH, no engine).</summary>
public class ContainerValidatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ContainerValidatorTests()
    {
        _dir.Write(".dockerignore", ".env\nobj/\n");
        _dir.Write("Dockerfile", "ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE} AS builder\nRUN true\nFROM ${BASE_IMAGE} AS runtime\nUSER nobody\n");
    }

    public void Dispose() => _dir.Dispose();

    private ValidationResult Validate(string? baseImage = null, string? profile = null, bool envRequired = false)
        => new ContainerValidator(new ScriptedProcessRunner(), new EnvironmentSnapshot([new("PATH", Path.Combine(_dir.Path, "no-bin"))])).Validate(new ValidationRequest
        {
            ProjectDirectory = _dir.Path,
            ConfigFile = Path.Combine(_dir.Path, "config", "docker.yaml"),
            DockerfilePath = Path.Combine(_dir.Path, "Dockerfile"),
            ContextDirectory = _dir.Path,
            BuilderStage = "builder",
            DockerfileRequired = true,
            BaseImage = baseImage,
            BuildArgs = baseImage is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage },
            Profile = profile,
            EnvRequired = envRequired,
        });

    [Fact]
    public void A_base_image_setting_that_no_FROM_uses_is_SBC0040_at_the_first_FROM()
    {
        Assert.DoesNotContain(Validate("local/python:3.11-slim").Diagnostics, d => d.Code == "SBC0040");

        _dir.Write("Dockerfile", "# app\nFROM python:3.11-slim AS builder\nRUN true\nFROM builder AS runtime\nUSER nobody\n");
        var d = Assert.Single(Validate("local/python:3.11-slim").Diagnostics, d => d.Code == "SBC0040");
        Assert.Equal(2, d.Span.Line);
        Assert.Contains("declares no 'ARG BASE_IMAGE' before its first FROM", d.Message);
        Assert.Contains("built from 'python:3.11-slim' instead", d.Message);
        Assert.Contains("'FROM ${BASE_IMAGE}'", d.Message);

        // Declared but not used by any FROM: the same, without the 'declares no ARG' part.
        _dir.Write("Dockerfile", "ARG BASE_IMAGE=x\nFROM python:3.11-slim AS builder\nRUN true\nFROM builder AS runtime\nUSER nobody\n");
        Assert.DoesNotContain("declares no", Assert.Single(Validate("local/python:3.11-slim").Diagnostics, d => d.Code == "SBC0040").Message);

        // Nothing set: nothing to ignore.
        Assert.DoesNotContain(Validate().Diagnostics, d => d.Code == "SBC0040");
    }

    [Fact]
    public void A_profile_asked_for_without_any_compose_file_is_SBC0041()
    {
        Assert.DoesNotContain(Validate().Diagnostics, d => d.Code == "SBC0041");
        var d = Assert.Single(Validate(profile: "dev", envRequired: true).Diagnostics, d => d.Code == "SBC0041");
        Assert.Contains("The dev profile needs a compose file", d.Message);
        Assert.Contains(_dir.Path, d.Message);

        _dir.Write("docker-compose.yml", "services:\n  app:\n    image: app:latest\n");
        Assert.DoesNotContain(Validate(profile: "dev", envRequired: true).Diagnostics, d => d.Code == "SBC0041");
    }

    [Fact]
    public void Env_example_is_suggested_only_where_it_exists()
    {
        _dir.Write("config/docker.yaml", "version: 1\nenvironment:\n  variables:\n    APP_TOKEN:\n      type: string\n      secret: true\n      required: true\n      description: The token.\n");
        var missing = Assert.Single(Validate(envRequired: true).Diagnostics, d => d.Code == "SBC1112");
        Assert.DoesNotContain(".env.example", missing.Message.Replace(".env.example missing", string.Empty, StringComparison.Ordinal));
        Assert.Contains("Create .env with a line NAME=value for each required variable (APP_TOKEN)", missing.Message);

        _dir.Write(".env", "OTHER=1\n");
        var required = Assert.Single(Validate(envRequired: true).Diagnostics, d => d.Code == "SBC1101");
        Assert.EndsWith("Add APP_TOKEN=... to .env (The token.).", required.Message);

        _dir.Write(".env.example", "APP_TOKEN=change-me\n");
        Assert.EndsWith("(see .env.example: The token.).", Assert.Single(Validate(envRequired: true).Diagnostics, d => d.Code == "SBC1101").Message);
        File.Delete(Path.Combine(_dir.Path, ".env"));
        Assert.Contains("Copy .env.example to .env", Assert.Single(Validate(envRequired: true).Diagnostics, d => d.Code == "SBC1112").Message);
    }
}
