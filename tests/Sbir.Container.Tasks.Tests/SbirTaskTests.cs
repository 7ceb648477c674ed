using Microsoft.Build.Framework;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Tasks.Tests;

public class SbirTaskTests
{
    private sealed class Throwing : SbirTask
    {
        protected override Task ExecuteCoreAsync() => throw new InvalidOperationException("boom");
    }

    private sealed class Logging(Diagnostic diagnostic, string secret) : SbirTask
    {
        protected override Task ExecuteCoreAsync()
        {
            Masker.Add(secret);
            LogDiagnostics([diagnostic]);
            Diagnostics.Message("plain " + secret);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void An_unexpected_exception_becomes_SBC0001_not_MSB4018()
    {
        var engine = new FakeBuildEngine();
        bool ok = new Throwing { BuildEngine = engine }.Execute();
        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("SBC0001", error.Code);
        Assert.Contains("Throwing", error.Message);
        Assert.Contains("boom", error.Message);
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.Low && m.Message!.Contains("InvalidOperationException"));
    }

    [Fact]
    public void Diagnostics_keep_code_file_and_span_and_secrets_are_masked()
    {
        const string secret = "s3cr3t-in-a-message";
        var diagnostic = DiagnosticCatalog.DockerfileUnknownInstruction.Create("/p/Dockerfile", new SourceSpan(4, 2, 4, 6), secret, "\\");
        var engine = new FakeBuildEngine();
        Assert.False(new Logging(diagnostic, secret) { BuildEngine = engine }.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(("SBC3001", "/p/Dockerfile", 4, 2, 4, 6), (error.Code, error.File, error.LineNumber, error.ColumnNumber, error.EndLineNumber, error.EndColumnNumber));
        Assert.DoesNotContain(secret, engine.AllText);
        Assert.Contains("***", error.Message);
    }

    [Fact]
    public void Info_diagnostics_are_coded_messages()
    {
        var engine = new FakeBuildEngine();
        Assert.True(new Logging(DiagnosticCatalog.NoGitRevision.Create("/p"), "xyz-secret") { BuildEngine = engine }.Execute());
        var message = engine.Messages.First();
        Assert.Equal("SBC0030", message.Code);
        Assert.Equal(MessageImportance.Normal, message.Importance);
    }

    [Fact]
    public void Summary_line_has_image_tags_size_and_seconds()
    {
        var request = new Build.ImageBuildRequest
        {
            ProjectDirectory = "/p", DockerfilePath = "/p/Dockerfile", ContextDirectory = "/p", Repository = "sbir-etl",
            Tags = ["latest", "1.0"], RuntimeStage = "runtime", BuilderStage = "builder", StateDirectory = "/p/obj",
        };
        var result = new Build.ImageBuildResult { ImageId = "sha256:0123456789abcdef0123", Size = 463_100_000, BuilderSize = 923_700_000, Elapsed = TimeSpan.FromSeconds(32.7) };
        Assert.Equal("DockerBuild: built sbir-etl:latest, sbir-etl:1.0 (463.1 MB; builder sbir-etl-builder:latest 923.7 MB) in 32.7 s. Image sha256:0123456789ab.", DockerBuildImage.Summary(request, result));
    }
}
