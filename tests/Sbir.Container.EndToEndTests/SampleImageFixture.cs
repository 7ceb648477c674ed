using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// Builds the sample (offline twin) once with the packed SDK on the real engine, with a known secret
/// in .env and a git repository around it, and removes its images afterwards.
/// </summary>
public sealed class SampleImageFixture : IDisposable
{
    public SampleImageFixture()
    {
        SkipReason = Prerequisite.Check(DockerEngine.Require);
        if (SkipReason is not null)
        {
            return;
        }

        Repo = TestRepository.Create("sbir-etl");
        OfflineApp.WriteInto(Repo);
        Repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n");
        Revision = Repo.InitGit();
        ColdBuild = Build();
    }

    /// <summary>A value that must never appear in a log or a layer.</summary>
    public string Secret { get; } = "e2e-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>A unique image name, so that parallel runs on one engine do not collide.</summary>
    public string ImageName { get; } = EngineNames.Unique("sbir-e2e-");

    /// <summary>Why the tests cannot run on this machine, or null (see <see cref="Prerequisite.Check"/>).</summary>
    public string? SkipReason { get; }

    public TestRepository Repo { get; } = null!;

    public string Revision { get; } = string.Empty;

    public BuildOutcome ColdBuild { get; } = null!;

    public string RuntimeTag => ImageName + ":latest";

    public string BuilderTag => ImageName + "-builder:latest";

    public BuildOutcome Build(params string[] extra)
        => Repo.Build(["-t:DockerBuild", "-v:n", "-p:SbirContainerImageName=" + ImageName, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli, .. extra]);

    public void Dispose()
    {
        if (SkipReason is not null)
        {
            return;
        }

        DockerEngine.RemoveImagesOf(ImageName, ImageName + "-builder");
        Repo.Dispose();
    }
}
