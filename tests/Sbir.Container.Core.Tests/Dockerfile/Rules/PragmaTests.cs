using Sbir.Container.Diagnostics;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>hadolint's ignore pragmas, with our codes too; every suppression stays visible as SBC3199.</summary>
public class PragmaTests
{
    private const string NoRecommends = "RUN apt-get install -y tini";

    [Fact]
    public void An_ignore_pragma_above_an_instruction_suppresses_the_rule_there_and_says_so()
    {
        var d = Check(GoodFinalStage + "\n# hadolint ignore=DL3015\n" + NoRecommends + "\n").Single();
        Assert.Equal("SBC3199", d.Code);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal(6, d.Span.Line);
        Assert.Equal("SBC3109 (hadolint DL3015) is suppressed here by '# hadolint ignore=DL3015'. Remove the pragma once its reason no longer holds, and keep the reason next to it ('# hadolint ignore=DL3015 # why') for reviewers.", d.Message);
    }

    [Theory]
    [InlineData("# hadolint ignore=DL3008,DL3015")]
    [InlineData("# hadolint ignore=DL3008, dl3015 # recommends are needed for fonts")]
    [InlineData("# hadolint ignore=SBC3109")]
    [InlineData("# hadolint ignore=DL3015\n# a second comment line")]
    public void IDs_lists_reasons_our_codes_and_comment_blocks_are_accepted(string pragma)
        => Assert.Equal(["SBC3199"], Codes(GoodFinalStage + "\n" + pragma + "\n" + NoRecommends + "\n"));

    [Theory]
    [InlineData("# hadolint ignore=DL3015\n\n" + NoRecommends)]
    [InlineData("# hadolint ignore=DL3014\n" + NoRecommends)]
    [InlineData("# hadolint ignore=DL3015\nRUN true\n" + NoRecommends)]
    [InlineData("# hadolint: ignore DL3015\n" + NoRecommends)]
    public void A_pragma_after_a_blank_line_for_another_rule_or_above_another_instruction_does_not_apply(string body)
        => Assert.Contains("SBC3109", Codes(GoodFinalStage + "\n" + body + "\n"));

    [Fact]
    public void A_global_pragma_anywhere_applies_to_the_whole_file()
    {
        var findings = Check("FROM python:3.11-slim\n" + NoRecommends + "\n" + NoRecommends + "\n# hadolint global ignore=DL3002,DL3057,SBC3102,DL3015\n");
        Assert.All(findings, d => Assert.Equal("SBC3199", d.Code));
        Assert.Equal([1, 1, 1, 2, 3], findings.Select(d => d.Span.Line));
        Assert.Contains(findings, d => d.Message.StartsWith("SBC3102 is suppressed here by '# hadolint global ignore=DL3002,DL3057,SBC3102,DL3015'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stage_pragma_applies_to_the_stage_it_precedes()
    {
        var findings = Check("""
            # hadolint stage ignore=DL3042
            FROM python:3.11-slim AS builder
            RUN pip install poetry
            FROM python:3.11-slim AS runtime
            RUN pip install httpx
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini"]
            """);
        Assert.Equal([(3, "SBC3199"), (5, "SBC3126")], findings.Select(d => (d.Span.Line, d.Code)));
    }

    [Fact]
    public void A_pragma_above_FROM_covers_findings_anchored_at_the_FROM()
        => Assert.Equal(["SBC3199"], Codes("# hadolint ignore=DL3002\nFROM python:3.11-slim\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n"));

    [Fact]
    public void A_pragma_above_a_multi_line_instruction_covers_findings_on_its_later_lines()
        => Assert.Equal(["SBC3199"], Codes(GoodFinalStage + "\n# hadolint ignore=DL3015\nRUN true \\\n && apt-get install -y tini\n"));
}
