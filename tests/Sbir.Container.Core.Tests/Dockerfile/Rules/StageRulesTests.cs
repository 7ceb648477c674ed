using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile.Rules;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>USER, tini, exec form, HEALTHCHECK, base images and stage references.</summary>
public class StageRulesTests
{
    [Fact]
    public void A_final_stage_that_follows_every_rule_passes()
        => Assert.Empty(Check(GoodFinalStage));

    // ---- SBC3101: the final stage runs as a non-root USER ----

    [Fact]
    public void Final_stage_without_USER_runs_as_root_even_though_hadolint_passes_it()
    {
        var d = Check("""
            FROM python:3.11-slim AS runtime
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini", "--", "app"]
            """).Single();
        Assert.Equal("SBC3101", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Dockerfile", d.File);
        Assert.Equal(new SourceSpan(1, 1, 1, 32), d.Span);
        Assert.Contains("The final stage 'runtime' runs as root: it has no USER instruction", d.Message);
        Assert.Contains("(hadolint DL3002)", d.Message);
        Assert.Equal("DL3002", d.Descriptor.HelpId);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("root:root")]
    [InlineData("0:0")]
    [InlineData("${RUN_AS}")]
    public void Final_stage_whose_last_USER_is_root_fails_at_the_user(string user)
    {
        var d = Check($"""
            FROM python:3.11-slim
            ARG RUN_AS=root
            USER app
            USER {user}
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini", "--", "app"]
            """).Single();
        Assert.Equal("SBC3101", d.Code);
        Assert.Equal(new SourceSpan(4, 6, 4, 5 + user.Length), d.Span);
        Assert.Contains("its last USER is", d.Message);
    }

    [Fact]
    public void USER_root_in_a_builder_stage_and_an_inherited_USER_are_fine()
    {
        var codes = Codes("""
            FROM python:3.11-slim AS base
            USER app
            FROM base AS builder
            USER root
            RUN echo build
            FROM base AS runtime
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini", "--", "app"]
            """);
        Assert.DoesNotContain("SBC3101", codes);
    }

    [Fact]
    public void The_runtime_stage_option_picks_the_final_stage()
    {
        const string text = """
            FROM python:3.11-slim AS runtime
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini", "--", "app"]
            FROM runtime AS test
            USER root
            CMD ["pytest"]
            """;
        Assert.Contains("SBC3101", Codes(text));
        Assert.Empty(Codes(text, new DockerfileRuleOptions { RuntimeStage = "runtime" }));
        Assert.Contains("SBC3101", Codes(text, new DockerfileRuleOptions { RuntimeStage = "no-such-stage" }));
    }

    // ---- SBC3102: tini ----

    [Theory]
    [InlineData("ENTRYPOINT [\"tini\", \"--\", \"app\"]")]
    [InlineData("ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"app\"]")]
    [InlineData("ENTRYPOINT [\"/sbin/tini\", \"-g\", \"--\"]")]
    [InlineData("ENTRYPOINT [\"/tini\", \"--\"]")]
    [InlineData("ENTRYPOINT [\"docker-init\", \"--\"]")]
    public void Entrypoints_that_start_tini_pass(string entrypoint)
        => Assert.DoesNotContain("SBC3102", Codes($"FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\n{entrypoint}\n"));

    [Fact]
    public void No_ENTRYPOINT_means_no_tini()
    {
        var d = Check("FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nCMD [\"app\"]\n").Single();
        Assert.Equal("SBC3102", d.Code);
        Assert.Equal(1, d.Span.Line);
        Assert.Contains("its ENTRYPOINT is missing", d.Message);
        Assert.Contains("ENTRYPOINT [\"/usr/bin/tini\", \"--\"", d.Message);
    }

    [Fact]
    public void An_ENTRYPOINT_that_starts_something_else_fails_at_the_entrypoint()
    {
        var d = Check("FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"/app/entrypoint.sh\"]\n").Single();
        Assert.Equal("SBC3102", d.Code);
        Assert.Equal(new SourceSpan(4, 12, 4, 33), d.Span);
        Assert.Contains("starts '/app/entrypoint.sh'", d.Message);
    }

    [Fact]
    public void A_tini_ENTRYPOINT_in_shell_form_does_not_count()
    {
        var codes = Codes("FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT /usr/bin/tini -- app\n");
        Assert.Equal(["SBC3102", "SBC3103"], codes.Order());
    }

    [Fact]
    public void An_ENTRYPOINT_inherited_from_an_earlier_stage_counts()
        => Assert.Empty(Codes("""
            FROM python:3.11-slim AS base
            ENTRYPOINT ["tini", "--"]
            FROM base AS runtime
            USER app
            HEALTHCHECK CMD ["/hc"]
            """));

    // ---- SBC3103 and SBC3104: exec form ----

    [Fact]
    public void CMD_and_ENTRYPOINT_in_shell_form_warn_in_every_stage()
    {
        var findings = Check("FROM python:3.11-slim AS builder\nCMD python -m app\n" + GoodFinalStage + "\nCMD dagster-webserver -h 0.0.0.0\n").With("SBC3103");
        Assert.Equal([2, 7], findings.Select(d => d.Span.Line));
        Assert.Equal(new SourceSpan(2, 5, 2, 17), findings[0].Span);
        Assert.All(findings, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("CMD is in shell form", findings[0].Message);
        Assert.Contains("(hadolint DL3025)", findings[0].Message);
    }

    [Fact]
    public void Exec_form_and_invalid_JSON_do_not_warn_about_shell_form()
    {
        var codes = Codes(GoodFinalStage + "\nCMD [\"dagster-webserver\"]\nCMD [broken\n");
        Assert.DoesNotContain("SBC3103", codes);
    }

    [Fact]
    public void HEALTHCHECK_CMD_in_shell_form_warns()
    {
        var d = Check("""
            FROM python:3.11-slim
            USER app
            HEALTHCHECK --interval=30s CMD curl -f http://localhost:3000/server_info || exit 1
            ENTRYPOINT ["tini", "--", "app"]
            """).Single();
        Assert.Equal("SBC3104", d.Code);
        Assert.Equal("DL3025", d.Descriptor.HelpId);
        Assert.Equal(3, d.Span.Line);
    }

    [Fact]
    public void HEALTHCHECK_CMD_in_exec_form_passes()
        => Assert.DoesNotContain("SBC3104", Codes(GoodFinalStage));

    // ---- SBC3105 and SBC3106: one HEALTHCHECK ----

    [Theory]
    [InlineData("")]
    [InlineData("HEALTHCHECK NONE\n")]
    public void A_final_stage_without_a_HEALTHCHECK_warns(string healthcheck)
    {
        var d = Check($"FROM python:3.11-slim\nUSER app\n{healthcheck}ENTRYPOINT [\"tini\", \"--\", \"app\"]\n").Single();
        Assert.Equal("SBC3105", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(healthcheck.Length == 0 ? 1 : 3, d.Span.Line);
        Assert.Contains("(hadolint DL3057)", d.Message);
    }

    [Fact]
    public void A_HEALTHCHECK_inherited_from_an_earlier_stage_counts_and_builders_need_none()
        => Assert.Empty(Codes("""
            FROM python:3.11-slim AS base
            HEALTHCHECK CMD ["/hc"]
            FROM python:3.11-slim AS builder
            RUN echo no healthcheck needed here
            FROM base AS runtime
            USER app
            ENTRYPOINT ["tini", "--", "app"]
            """));

    [Fact]
    public void Two_HEALTHCHECKs_in_a_stage_fail_at_the_second()
    {
        var d = Check(GoodFinalStage + "\nHEALTHCHECK CMD [\"/other\"]\n").Single();
        Assert.Equal("SBC3106", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(5, d.Span.Line);
        Assert.Contains("replaces the one at line 3", d.Message);
        Assert.Contains("(hadolint DL3012)", d.Message);
    }

    [Fact]
    public void HEALTHCHECK_NONE_beside_a_HEALTHCHECK_is_not_a_second_one()
        => Assert.Empty(Codes("FROM python:3.11-slim\nHEALTHCHECK NONE\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n"));

    // ---- SBC3113 to SBC3116: base images ----

    [Fact]
    public void Untagged_and_latest_base_images_warn_at_the_image()
    {
        var findings = Check("FROM python AS builder\nRUN true\nFROM python:latest AS runtime\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n");
        Assert.Equal(["SBC3113", "SBC3114"], findings.Select(d => d.Code));
        Assert.Equal(new SourceSpan(1, 6, 1, 11), findings[0].Span);
        Assert.Contains("The base image 'python' has no tag", findings[0].Message);
        Assert.Contains("(hadolint DL3006)", findings[0].Message);
        Assert.Equal(new SourceSpan(3, 6, 3, 18), findings[1].Span);
        Assert.Contains("(hadolint DL3007)", findings[1].Message);
    }

    [Theory]
    [InlineData("FROM python:3.11-slim")]
    [InlineData("FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("FROM scratch")]
    [InlineData("FROM --platform=$BUILDPLATFORM registry.example.com:5000/team/python:3.11")]
    public void Tagged_digest_pinned_and_scratch_base_images_pass(string from)
        => Assert.Empty(Codes(from + "\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n"));

    [Fact]
    public void ARGs_in_FROM_are_resolved_before_judging_unlike_hadolint_219()
    {
        const string text = "ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE}\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n";
        Assert.Empty(Codes(text));

        var overridden = Check(text, new DockerfileRuleOptions { BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "python" } }).Single();
        Assert.Equal("SBC3113", overridden.Code);
        Assert.Contains("'${BASE_IMAGE}' (resolved to 'python')", overridden.Message);
    }

    [Fact]
    public void ARG_defaults_that_use_earlier_ARGs_are_expanded()
        => Assert.Empty(Codes("ARG PY=3.11\nARG IMAGE=python:${PY}-slim\nFROM ${IMAGE}\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n"));

    [Fact]
    public void An_ARG_without_a_value_in_FROM_is_reported_instead_of_guessed()
    {
        var d = Check("ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS runtime\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n").Single();
        Assert.Equal("SBC3116", d.Code);
        Assert.Equal(new SourceSpan(2, 6, 2, 18), d.Span);
        Assert.Contains("FROM '${BASE_IMAGE}' uses ${BASE_IMAGE}, which has no value here", d.Message);
        Assert.Contains("ARG BASE_IMAGE=python:3.11-slim", d.Message);
    }

    [Fact]
    public void A_build_argument_gives_the_ARG_its_value()
        => Assert.Empty(Codes(
            "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n",
            new DockerfileRuleOptions { BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "python:3.12-slim" } }));

    [Fact]
    public void Digests_are_required_only_when_asked_for()
    {
        const string text = "FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n";
        var strict = new DockerfileRuleOptions { RequirePinnedDigest = true };
        var d = Check(text, strict).Single();
        Assert.Equal("SBC3115", d.Code);
        Assert.Contains("FROM python:3.11-slim@sha256:", d.Message);
        Assert.Empty(Codes(text.Replace("python:3.11-slim", "python:3.11-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), strict));
    }

    // ---- SBC3117 to SBC3119: stage references and names ----

    [Fact]
    public void COPY_from_an_unknown_stage_fails_at_the_flag()
    {
        var d = Check("FROM python:3.11-slim AS builder\nRUN true\n" + GoodFinalStage + "\nCOPY --from=buidler /app/.venv /app/.venv\n").Single();
        Assert.Equal("SBC3117", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(new SourceSpan(7, 6, 7, 19), d.Span);
        Assert.Contains("'--from=buidler' names no stage defined before this instruction", d.Message);
        Assert.Contains("(hadolint DL3022)", d.Message);
    }

    [Theory]
    [InlineData("--from=builder")]
    [InlineData("--from=BUILDER")]
    [InlineData("--from=0")]
    [InlineData("--from=ghcr.io/astral-sh/uv:0.5")]
    [InlineData("--from=busybox:1.36")]
    [InlineData("--from=${SOURCE}")]
    [InlineData("--from=${UNKNOWN}")]
    public void COPY_from_an_earlier_stage_an_index_an_image_or_an_unresolved_ARG_passes(string flag)
        => Assert.DoesNotContain(Codes("FROM python:3.11-slim AS builder\nRUN true\n" + GoodFinalStage + $"\nARG SOURCE=builder\nCOPY {flag} /x /x\n"),
            c => c is "SBC3117" or "SBC3118");

    [Fact]
    public void A_later_stage_or_index_is_unknown_and_the_own_stage_is_a_self_reference()
    {
        var findings = Check("""
            FROM python:3.11-slim AS builder
            COPY --from=runtime /x /x
            COPY --from=1 /x /x
            COPY --from=builder /x /x
            COPY --from=0 /x /x
            RUN --mount=type=bind,from=builder,target=/src true
            FROM python:3.11-slim AS runtime
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini"]
            """);
        Assert.Equal(
            [(2, "SBC3117"), (3, "SBC3117"), (4, "SBC3118"), (5, "SBC3118"), (6, "SBC3118")],
            findings.Select(d => (d.Span.Line, d.Code)));
        Assert.Contains("(hadolint DL3023)", findings[2].Message);
    }

    [Fact]
    public void RUN_mount_from_an_unknown_stage_fails()
    {
        var d = Check(GoodFinalStage + "\nRUN --mount=type=cache,target=/root/.cache --mount=from=nope,source=/x,target=/y true\n").Single();
        Assert.Equal("SBC3117", d.Code);
        Assert.Equal(new SourceSpan(5, 44, 5, 80), d.Span);
    }

    [Fact]
    public void Duplicate_stage_names_fail_at_the_second_name()
    {
        var d = Check("FROM python:3.11-slim AS build\nRUN true\nFROM python:3.11-slim AS Build\nRUN true\n" + GoodFinalStage).Single();
        Assert.Equal("SBC3119", d.Code);
        Assert.Equal(new SourceSpan(3, 26, 3, 30), d.Span);
        Assert.Contains("The stage name 'build' is already used by the stage at line 1", d.Message);
        Assert.Contains("(hadolint DL3024)", d.Message);
    }

    [Fact]
    public void Distinct_stage_names_pass()
        => Assert.DoesNotContain("SBC3119", Codes("FROM python:3.11-slim AS build\nRUN true\nFROM python:3.11-slim AS test\nRUN true\n" + GoodFinalStage));
}
