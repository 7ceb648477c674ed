using Sbir.Container.Build;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Build;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("sbir-etl")]
    [InlineData("ghcr.io/acme/sbir-etl")]
    [InlineData("localhost:5000/a/b__c")]
    [InlineData("a.b-c_d")]
    public void Valid_repositories(string name) => Assert.Null(ImageReference.ValidateRepository(name));

    [Theory]
    [InlineData("SBIR-ETL", "upper-case")]
    [InlineData("sbir etl", "characters")]
    [InlineData("a//b", "empty path component")]
    [InlineData("", "empty")]
    [InlineData("-lead", "characters")]
    public void Invalid_repositories_say_why(string name, string why)
        => Assert.Contains(why, ImageReference.ValidateRepository(name));

    [Theory]
    [InlineData("latest", true)]
    [InlineData("1.2.0-rc.1", true)]
    [InlineData(".hidden", false)]
    [InlineData("has space", false)]
    [InlineData("a:b", false)]
    public void Tags(string tag, bool valid) => Assert.Equal(valid, ImageReference.IsValidTag(tag));

    [Fact]
    public void Qualify_and_project_names()
    {
        Assert.Equal("ghcr.io/acme/sbir-etl", ImageReference.Qualify("ghcr.io/acme/", "sbir-etl"));
        Assert.Equal("sbir-etl", ImageReference.Qualify("", "sbir-etl"));
        Assert.Equal("my-app", ImageReference.FromProjectName("My App!"));
    }

    [Theory]
    [InlineData("git@github.com:acme/sbir-etl.git", "https://github.com/acme/sbir-etl")]
    [InlineData("https://user:ghp_secrettoken@github.com/acme/sbir-etl.git", "https://github.com/acme/sbir-etl")]
    [InlineData("ssh://git@gitlab.example.com/group/repo.git", "https://gitlab.example.com/group/repo")]
    [InlineData("/local/path", null)]
    public void Git_remotes_become_public_urls_without_credentials(string remote, string? expected)
        => Assert.Equal(expected, GitInfo.ToBrowsableUrl(remote));

    [Theory]
    [InlineData("NEO4J_PASSWORD", true)]
    [InlineData("NEO4J_AUTH", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("NEO4J_PASSWORD_FILE", false)]
    [InlineData("AUTHOR", false)]
    [InlineData("TOKENIZER_MODEL", false)]
    [InlineData("PYTHON_VERSION", false)]
    [InlineData("PWD", false)]
    public void Secret_names(string name, bool secret) => Assert.Equal(secret, SecretNames.LooksSecret(name));
}
