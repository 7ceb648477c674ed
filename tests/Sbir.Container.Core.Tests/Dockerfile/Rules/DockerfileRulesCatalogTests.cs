using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>The SBC31xx descriptors follow the catalogue's conventions.</summary>
public class DockerfileRulesCatalogTests
{
    private static IEnumerable<DiagnosticDescriptor> Rules
        => DiagnosticCatalog.All.Where(d => string.CompareOrdinal(d.Code, "SBC3100") > 0 && string.CompareOrdinal(d.Code, "SBC3200") < 0);

    [Fact]
    public void Every_rule_that_matches_a_hadolint_rule_names_it_in_its_message()
        => Assert.All(Rules.Where(d => d.HelpId is not null), d =>
        {
            Assert.Matches(@"^DL\d{4}$", d.HelpId);
            Assert.Contains("hadolint " + d.HelpId, d.MessageFormat);
        });

    [Fact]
    public void Only_the_suppression_note_is_info()
    {
        Assert.Equal(DiagnosticSeverity.Info, DiagnosticCatalog.DockerfileRuleSuppressed.DefaultSeverity);
        Assert.Equal("SBC3199", DiagnosticCatalog.DockerfileRuleSuppressed.Code);
        Assert.All(Rules.Where(d => d.Code != "SBC3199"), d => Assert.True(d.DefaultSeverity >= DiagnosticSeverity.Warning, d.Code));
    }

    [Fact]
    public void The_hadolint_rules_keep_their_IDs()
        => Assert.Equal(
            ["DL3000", "DL3002", "DL3004", "DL3006", "DL3007", "DL3009", "DL3012", "DL3014", "DL3015", "DL3022", "DL3023", "DL3024", "DL3025", "DL3027", "DL3042", "DL3057", "DL3064"],
            Rules.Select(d => d.HelpId).OfType<string>().Distinct().Order());
}
