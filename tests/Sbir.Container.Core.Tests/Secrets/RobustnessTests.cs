using System.Text;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>The scanner never throws and stays linear: bad bytes, huge lines, alias bombs, unbalanced syntax.</summary>
public class RobustnessTests
{
    private static readonly string[] Paths =
    [
        "docker-compose.yml", "config/a.yaml", ".github/workflows/ci.yml", "Dockerfile", "scripts/a.sh", ".env", ".env.example", "x.ini", "unknown.bin",
    ];

    public static TheoryData<string> Inputs()
    {
        var random = new Random(20251126);
        byte[] garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        return new TheoryData<string>
        {
            string.Empty,
            "\n\n\n",
            "\uFEFF",
            Encoding.UTF8.GetString(garbage),
            Encoding.Latin1.GetString(garbage),
            Encoding.UTF8.GetString([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, 0x0A, 0x00, 0x00, 0xFF]),
            "\0\0\0PASSWORD=\0secret\0",
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + string.Concat(Enumerable.Range(1, 9).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [" + string.Join(',', Enumerable.Repeat($"*{(char)('a' + i - 1)}", 9)) + "]\n")),
            "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n",
            "password: \"unterminated\nnext: 'also\n[{[{[{\n",
            "${NEO4J_PASSWORD:-" + new string('{', 1000),
            string.Concat(Enumerable.Repeat("${A:-", 20000)) + "x" + new string('}', 20000),
            string.Concat(Enumerable.Repeat("${NEO4J_PASSWORD:=", 20000)),
            "NEO4J_PASSWORD=" + string.Concat(Enumerable.Repeat("${X:-", 5000)),
            "RUN <<EOF\n" + new string('\\', 10000) + "\n",
            string.Concat(Enumerable.Repeat("RUN <<EOF\n", 50_000)),
            string.Concat(Enumerable.Repeat("ENV A=1 \\\n", 50_000)),
            string.Concat(Enumerable.Repeat("-----BEGIN RSA PRIVATE KEY-----\n", 100_000)) + "-----END RSA PRIVATE KEY-----",
            string.Concat(Enumerable.Repeat("-----BEGIN RSA PRIVATE KEY-----\n" + new string('A', 40) + "\n", 50_000)) + "-----END RSA PRIVATE KEY-----",
            string.Concat(Enumerable.Repeat("bolt://u:", 20000)) + "@h",
            string.Concat(Enumerable.Repeat("\"", 50001)),
            string.Concat(Enumerable.Repeat("test: [\"CMD\", \"cypher-shell\", \"-p\", ", 3000)),
        };
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Bad_input_never_throws(string text)
    {
        foreach (string path in Paths)
        {
            var result = SecretScanner.ScanFile(path, text, new SecretScanOptions { IsExampleFile = path.EndsWith(".example", StringComparison.Ordinal) });
            Assert.NotNull(result);
            Assert.DoesNotContain(result.Diagnostics, d => d.Code == "SBC2098");
        }

        Assert.NotNull(SecretScanner.ScanText(text, null, SecretScanOptions.Default));
    }

    [Fact]
    public void Null_arguments_are_tolerated()
    {
        Assert.Empty(SecretScanner.ScanText(null!, null, null!).Diagnostics);
        Assert.Equal(new[] { "x" }, SecretScanner.ScanFile("docker-compose.yml", "NEO4J_PASSWORD: x\n", new SecretScanOptions { SecretVariables = null! }).DetectedValues);
    }

    [Fact]
    public void A_5_MB_line_is_scanned_and_a_token_in_it_is_still_found()
    {
        string token = "gh" + "p_" + new string('a', 18) + new string('B', 18);
        string line = "NEO4J_PASSWORD: " + new string('x', 2_500_000) + " " + token + " " + string.Concat(Enumerable.Repeat("${A:-", 100_000)) + new string('y', 2_000_000);
        foreach (string path in Paths)
        {
            var result = Bounded.Run(path, () => SecretScanner.ScanFile(path, line + "\n", SecretScanOptions.Default));
            Assert.Contains(result.Diagnostics, d => d.Code == "SBC2005");
            Assert.Contains(token, result.DetectedValues);
        }
    }

    [Fact]
    public void A_20000_line_compose_file_is_scanned_to_its_last_line()
    {
        var sb = new StringBuilder("services:\n");
        int services = 0;
        while (services * 12 < 20_000)
        {
            services++;
            sb.Append($$"""
                  svc{{services}}:
                    image: ${IMAGE:-app{{services}}:latest}
                    environment:
                      - NEO4J_PASSWORD=${NEO4J_PASSWORD:?set it}
                      - SBIR_ETL__NEO4J__URI=bolt://neo4j:7687
                      - LOG_LEVEL=info
                    healthcheck:
                      test: ["CMD-SHELL", "cypher-shell -u neo4j -p $${NEO4J_PASSWORD} 'RETURN 1'"]
                      interval: 10s
                    command: ["python", "-m", "app", "--port", "{{services}}"]
                    volumes:
                      - data:/data

                """);
        }

        sb.Append("  leaky:\n    environment:\n      - NEO4J_AUTH=neo4j/password123\n");
        string text = sb.ToString();
        Assert.True(text.Split('\n').Length >= 20_000);
        var result = Bounded.Run("20,000-line compose file", () => SecretScanner.ScanFile("docker-compose.yml", text, SecretScanOptions.Default));
        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal(text.Split('\n').Length - 1, finding.Span.Line);
    }
}
