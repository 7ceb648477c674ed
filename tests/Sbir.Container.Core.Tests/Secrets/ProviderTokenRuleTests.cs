namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>
/// Rule 5, SBC2005: provider formats anywhere. Every token is assembled at run time, so this source file holds no
/// string that a secret scanner (or a push protection) would take for a real credential.
/// </summary>
public class ProviderTokenRuleTests
{
    private const string Upper = "QWERTYUIOPASDFGHJKLZXCVBNM";
    private const string Mixed = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz";

    private static string Take(string pool, int length) => string.Concat(Enumerable.Range(0, length).Select(i => pool[(i * 7 + 3) % pool.Length]));

    public static TheoryData<string, string> Tokens()
    {
        string Part(string a, string b) => a + b;
        return new TheoryData<string, string>
        {
            { Part("AK", "IA") + Take(Upper.Replace("Z", "2") + "234567", 16), "AWS access key ID" },
            { Part("AS", "IA") + Take(Upper + "7", 16), "AWS access key ID" },
            { Part("gh", "p_") + Take(Mixed, 36), "GitHub token" },
            { Part("gh", "s_") + Take(Mixed, 36), "GitHub token" },
            { Part("github", "_pat_") + Take(Mixed + "_", 82), "GitHub fine-grained token" },
            { Part("glp", "at-") + Take(Mixed, 20), "GitLab personal access token" },
            { Part("np", "m_") + Take(Mixed, 36), "npm access token" },
            { Part("pypi-AgEIcHlwaS5v", "cmc") + Take(Mixed, 60), "PyPI upload token" },
            { Part("dckr", "_pat_") + Take(Mixed, 27), "Docker Hub access token" },
            { Part("xo", "xb-") + "123456789012-1234567890123-" + Take(Mixed, 24), "Slack token" },
            { "https://" + Part("hooks.sl", "ack.com") + "/services/T" + Take(Upper, 8) + "/B" + Take(Upper, 8) + "/" + Take(Mixed, 24), "Slack webhook URL" },
            { Part("sk_li", "ve_") + Take(Mixed, 24), "Stripe live key" },
            { Part("AI", "za") + Take(Mixed + "_-", 35), "Google API key" },
            { Part("ey", "J") + Take(Mixed, 20) + "." + Part("ey", "J") + Take(Mixed, 30) + "." + Take(Mixed, 43), "JSON Web Token" },
        };
    }

    [Theory]
    [MemberData(nameof(Tokens))]
    public void Tokens_are_found_in_any_file_even_in_comments(string token, string kind)
    {
        foreach (var (text, path) in new[]
        {
            ($"services:\n  app:\n    environment:\n      SOME_SETTING: {token}\n", "docker-compose.yml"),
            ($"FROM x\n# left over: {token}\n", "Dockerfile"),
            ($"#!/bin/sh\ncurl -H 'X: {token}' https://example.org\n", "scripts/a.sh"),
            ($"note = {token}\n", "notes.txt"),
        })
        {
            var finding = SecretScan.Single(text, path, "SBC2005", token);
            Assert.Contains(kind, finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_token_under_a_secret_name_is_reported_once_as_a_token()
    {
        string token = "gh" + "p_" + Take(Mixed, 36);
        var finding = SecretScan.Single($"GITHUB_TOKEN={token}\n", ".env", "SBC2005", token);
        Assert.Contains("GitHub token", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Private_key_blocks()
    {
        string body = string.Join('\n', Enumerable.Range(0, 4).Select(i => Take(Mixed + "+/", 64)));
        string key = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----";
        string text = "ssh:\n  key: |\n    " + key.Replace("\n", "\n    ", StringComparison.Ordinal) + "\n";
        var result = SecretScan.Run(text, "config/deploy.yaml");
        var finding = Assert.Single(SecretScan.Read(text, result));
        Assert.Equal("SBC2005", finding.Code);
        Assert.Equal(3, finding.Line);
        Assert.Contains("private key", finding.Message, StringComparison.Ordinal);
        Assert.Contains(result.DetectedValues, v => v.Contains(Take(Mixed + "+/", 64), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("grep -q 'BEGIN OPENSSH PRIVATE KEY' \"$1\"")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----")]
    [InlineData("AKIA_IS_A_PREFIX")]
    [InlineData("ghp_short")]
    [InlineData("xoxb-your-token-here")]
    [InlineData("sk_test_abcdefghijklmnopqrstuvwx")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9")]
    public void Look_alikes_are_not_tokens(string text)
        => SecretScan.None("#!/bin/sh\n" + text + "\n", "scripts/a.sh");

    [Fact]
    public void Tokens_glued_to_other_characters_are_not_matched()
    {
        string aws = "AK" + "IA" + Take(Upper, 16);
        SecretScan.None($"#!/bin/sh\necho X{aws}\n", "scripts/a.sh");
        SecretScan.None($"#!/bin/sh\necho {aws}X\n", "scripts/a.sh");
    }
}
