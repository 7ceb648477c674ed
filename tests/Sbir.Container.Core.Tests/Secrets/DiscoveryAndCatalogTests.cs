using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Secrets;

public class DiscoveryAndCatalogTests
{
    [Fact]
    public void DiscoverFiles_picks_the_files_that_hold_configuration()
    {
        using var dir = new TempDirectory();
        string[] scanned =
        [
            "docker-compose.yml", "docker-compose.override.yaml", "compose.yaml", "compose.prod.yml",
            "docker/docker-compose.dev.yml", "docker/neo4j.compose.override.yml",
            "Dockerfile", "Dockerfile.dev", "api.Dockerfile", "services/worker/Dockerfile",
            "config/docker.yaml", "config/env/prod.yml", "scripts/docker/entrypoint.sh", "scripts/ci/build.sh",
            ".github/workflows/ci.yml", ".github/workflows/release.yaml", "sbir-etl.proj", "app.csproj", "Directory.Build.props",
        ];
        string[] skipped =
        [
            "README.md", "other.yml", "src/app/settings.yaml", "docker/readme.md", "scripts/tool.py", "config/notes.txt",
            ".github/dependabot.yml", ".github/workflows/nested/x.yml", "sub/docker-compose.yml",
            ".git/Dockerfile", "obj/Dockerfile", "bin/Dockerfile", "node_modules/x/Dockerfile", ".venv/Dockerfile", "__pycache__/Dockerfile",
            "config/obj/a.yaml", ".env", ".env.example", "sub/other.proj", "project.json",
        ];
        foreach (string file in scanned.Concat(skipped))
        {
            dir.Write(file, "x: 1\n");
        }

        var found = SecretScanner.DiscoverFiles(dir.Path);
        var expected = scanned.Select(f => Path.Combine(dir.Path, f.Replace('/', Path.DirectorySeparatorChar))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, found);
    }

    [Fact]
    public void DiscoverFiles_resolves_relative_paths_and_tolerates_missing_folders()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", "FROM x\n");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.Path);
        Assert.Equal(Path.Combine(dir.Path, "Dockerfile"), Assert.Single(SecretScanner.DiscoverFiles(relative)));
        Assert.Empty(SecretScanner.DiscoverFiles(Path.Combine(dir.Path, "missing")));
        Assert.Empty(SecretScanner.DiscoverFiles(""));
    }

    [Fact]
    public void Secret_codes_are_in_their_area_with_the_documented_severities()
    {
        var secrets = DiagnosticCatalog.All.Where(d => d.Area == 2).ToDictionary(d => d.Code);
        Assert.Equal(new[] { "SBC2001", "SBC2002", "SBC2003", "SBC2004", "SBC2005", "SBC2006", "SBC2007", "SBC2008", "SBC2009", "SBC2010", "SBC2011", "SBC2098", "SBC2099" }, secrets.Keys.Order(StringComparer.Ordinal));
        Assert.All(new[] { "SBC2001", "SBC2002", "SBC2003", "SBC2004", "SBC2005", "SBC2006", "SBC2008", "SBC2009", "SBC2010" }, c => Assert.Equal(DiagnosticSeverity.Error, secrets[c].DefaultSeverity));
        Assert.Equal(DiagnosticSeverity.Info, secrets["SBC2011"].DefaultSeverity);
        Assert.Equal(DiagnosticSeverity.Warning, secrets["SBC2007"].DefaultSeverity);
        Assert.Equal(DiagnosticSeverity.Info, secrets["SBC2099"].DefaultSeverity);
    }

    [Theory]
    [InlineData("NEO4J_AUTH", true)]
    [InlineData("NEO4J_PASSWORD", true)]
    [InlineData("SBIR_ETL__NEO4J__PASSWORD", true)]
    [InlineData("PGPASSWORD", true)]
    [InlineData("MYSQL_PWD", true)]
    [InlineData("SMTP_PASS", true)]
    [InlineData("DOCKER_REGISTRY_TOKEN", true)]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("password", true)]
    [InlineData("api_key", true)]
    [InlineData("apiKey", true)]
    [InlineData("dbPassword", true)]
    [InlineData("neo4jAuth", true)]
    [InlineData("client-secret", true)]
    [InlineData("NEO4J_AUTH_FILE", false)]
    [InlineData("NEO4J_PASSWORD_FILE", false)]
    [InlineData("TOKEN_URL", false)]
    [InlineData("PASSWORD_MIN_LENGTH", false)]
    [InlineData("AUTH_ENABLED", false)]
    [InlineData("AWS_ACCESS_KEY_ID", false)]
    [InlineData("secret_mount_path", false)]
    [InlineData("secret_conventions", false)]
    [InlineData("secrets", false)]
    [InlineData("auth", false)]
    [InlineData("PWD", false)]
    [InlineData("AUTHOR", false)]
    [InlineData("NEO4J_USER", false)]
    [InlineData("primary_key", false)]
    public void Secret_names_are_judged_by_their_last_word(string name, bool secret)
        => Assert.Equal(secret, SecretNames.LooksSecret(name));
}
