using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>No diagnostic message ever holds the secret; every secret is handed back for the masker.</summary>
public class MessageSafetyTests
{
    // A known random value (fixed, because theory data is built apart from the test run).
    private const string Secret = "Zq7Rm2Xw9Kd4Tb6Nv3";

    public static TheoryData<string, string, bool> Placements()
    {
        string s = Secret;
        return new TheoryData<string, string, bool>
        {
            { $"services:\n  a:\n    environment:\n      - NEO4J_AUTH=neo4j/{s}\n", "docker-compose.yml", false },
            { $"services:\n  a:\n    environment:\n      NEO4J_PASSWORD: {s}\n", "docker-compose.yml", false },
            { $"services:\n  a:\n    environment:\n      NEO4J_PASSWORD: ${{NEO4J_PASSWORD:-{s}}}\n", "docker-compose.yml", false },
            { $"services:\n  a:\n    environment:\n      URI: bolt://neo4j:{s}@neo4j:7687\n", "docker-compose.yml", false },
            { $"services:\n  a:\n    healthcheck:\n      test: [\"CMD-SHELL\", \"cypher-shell -u neo4j -p {s}\"]\n", "docker-compose.yml", false },
            { $"services:\n  a:\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-u\", \"{s}:{s}\", \"http://x\"]\n", "docker-compose.yml", false },
            { $"FROM x\nENV NEO4J_AUTH neo4j/{s}\nARG API_TOKEN={s}\n", "Dockerfile", false },
            { $"#!/bin/sh\nexport {s}_NOT_A_NAME=1\nNEO4J_PASSWORD={s} mysql -p{s}\n", "scripts/a.sh", false },
            { $"neo4j:\n  password: {s}\n  {s}: value\n", "config/a.yaml", false },
            { $"NEO4J_PASSWORD={s}\n", ".env.example", true },
            { $"NEO4J_PASSWORD={s}  # gitleaks:allow\n", ".env", false },
            { $"https://{s}:{s}@{s}.example.org\n", "notes.txt", false },
        };
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Messages_never_contain_the_value(string text, string path, bool example)
    {
        var result = SecretScan.Run(text, path, example);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.DoesNotContain(Secret, d.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Secret, d.ToString(), StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains(Secret, result.DetectedValues);
    }

    [Fact]
    public void Detected_values_mask_every_log_line_that_quotes_the_file()
    {
        string text = $"services:\n  a:\n    environment:\n      - NEO4J_AUTH=neo4j/{Secret}\n";
        var result = SecretScan.Run(text, "docker-compose.yml");
        var masker = new SecretMasker();
        foreach (string value in result.DetectedValues)
        {
            masker.Add(value);
        }

        Assert.DoesNotContain(Secret, masker.Apply(text), StringComparison.Ordinal);
    }
}
