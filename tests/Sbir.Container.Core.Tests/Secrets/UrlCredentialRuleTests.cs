namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 3, SBC2003: scheme://user:PASS@host with a literal password, for any scheme.</summary>
public class UrlCredentialRuleTests
{
    [Theory]
    [InlineData("bolt://neo4j:s3cr3t@neo4j:7687", "s3cr3t", "bolt")]
    [InlineData("bolt+s://neo4j:s3cr3t@db.example.org:7687", "s3cr3t", "bolt+s")]
    [InlineData("neo4j://neo4j:s3cr3t@neo4j:7687", "s3cr3t", "neo4j")]
    [InlineData("neo4j+s://neo4j:s3cr3t@abc.databases.neo4j.io", "s3cr3t", "neo4j+s")]
    [InlineData("postgres://app:pg-pass@db:5432/app", "pg-pass", "postgres")]
    [InlineData("postgresql://app:pg-pass@db/app?sslmode=require", "pg-pass", "postgresql")]
    [InlineData("mysql://root:rootpw@mysql:3306/db", "rootpw", "mysql")]
    [InlineData("redis://:redispw@redis:6379/0", "redispw", "redis")]
    [InlineData("mongodb://u:mongo%40pw@m1:27017,m2:27017/db", "mongo%40pw", "mongodb")]
    [InlineData("mongodb+srv://u:pw1@cluster0.example.net/db", "pw1", "mongodb+srv")]
    [InlineData("amqp://guest:guestpw@rabbit:5672/", "guestpw", "amqp")]
    [InlineData("https://user:hunter2@pypi.example.org/simple", "hunter2", "https")]
    [InlineData("http://admin:adminpw@localhost:7474/", "adminpw", "http")]
    [InlineData("postgres://${DB_USER:-app}:letmein@db/app", "letmein", "postgres")]
    [InlineData("postgres://app:${PW:-fallback}@db/app", "fallback", "postgres")]
    public void Literal_passwords_in_urls(string url, string password, string scheme)
    {
        var finding = SecretScan.Single($"app:\n  uri: {url}\n", "config/app.yaml", "SBC2003", password);
        Assert.Contains($"The {scheme}:// URL", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_is_reported_where_it_is_even_when_the_user_is_the_same()
    {
        var finding = Assert.Single(SecretScan.Findings("app:\n  uri: amqp://guest:guest@rabbit:5672/\n", "config/app.yaml"));
        Assert.Equal(("SBC2003", 2, "  uri: amqp://guest:".Length + 1, "guest"), (finding.Code, finding.Line, finding.Column, finding.Text));
    }

    [Fact]
    public void Url_password_is_registered_in_both_spellings()
    {
        var result = SecretScan.Run("app:\n  uri: mongodb://u:mongo%40pw@m1/db\n", "config/app.yaml");
        Assert.Contains("mongo%40pw", result.DetectedValues);
        Assert.Contains("mongo@pw", result.DetectedValues);
    }

    [Theory]
    [InlineData("bolt://neo4j:7687")]
    [InlineData("bolt://neo4j@neo4j:7687")]
    [InlineData("bolt://neo4j:${NEO4J_PASSWORD}@neo4j:7687")]
    [InlineData("bolt://neo4j:${NEO4J_PASSWORD:?set it}@neo4j:7687")]
    [InlineData("bolt://neo4j:$NEO4J_PASSWORD@neo4j:7687")]
    [InlineData("bolt://neo4j:$${NEO4J_PASSWORD}@neo4j:7687")]
    [InlineData("https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/org/repo")]
    [InlineData("postgres://app:***@db/app")]
    [InlineData("postgresql://{user}:{password}@{host}/{db}")]
    [InlineData("https://example.org/a:b@c")]
    [InlineData("https://example.org/?next=http://x")]
    public void Clean_urls(string url)
        => SecretScan.None($"app:\n  uri: \"{url}\"\n", "config/app.yaml");

    [Fact]
    public void Urls_are_found_in_every_kind_of_file()
    {
        SecretScan.Single("services:\n  app:\n    environment:\n      - NEO4J_URI=bolt://neo4j:pw1234@neo4j:7687\n", "docker-compose.yml", "SBC2003", "pw1234");
        SecretScan.Single("FROM x\nRUN pip install --index-url https://u:pw1234@pypi.example.org/simple app\n", "Dockerfile", "SBC2003", "pw1234");
        SecretScan.Single("#!/bin/sh\ngit clone https://bot:pw1234@git.example.org/repo.git\n", "scripts/clone.sh", "SBC2003", "pw1234");
        SecretScan.Single("SBIR_ETL__NEO4J__URI=bolt://neo4j:pw1234@neo4j:7687\n", ".env", "SBC2003", "pw1234");
    }
}
