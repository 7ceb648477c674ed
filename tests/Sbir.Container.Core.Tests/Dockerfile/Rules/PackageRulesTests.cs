using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile.Rules;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>apt-get hygiene, build tools in the final stage.</summary>
public class PackageRulesTests
{
    private const string Clean = "apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*";

    private static List<Diagnostic> InFinal(string run) => Check(GoodFinalStage + "\n" + run + "\n").ToList();

    [Fact]
    public void A_clean_apt_get_install_passes()
        => Assert.Empty(InFinal("RUN " + Clean));

    // ---- SBC3109: --no-install-recommends ----

    [Fact]
    public void apt_get_install_without_no_install_recommends_warns_at_the_command()
    {
        var d = InFinal("RUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*").Single();
        Assert.Equal("SBC3109", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("DL3015", d.Descriptor.HelpId);
        Assert.Equal(new SourceSpan(5, 23, 5, 37), d.Span);
        Assert.Contains("(hadolint DL3015)", d.Message);
    }

    [Theory]
    [InlineData("RUN apt-get install -y -o APT::Install-Recommends=false tini")]
    [InlineData("RUN apt-get -o APT::Install-Recommends=0 install -y tini")]
    [InlineData("RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y tini")]
    public void Recommends_turned_off_another_way_pass(string run)
        => Assert.DoesNotContain("SBC3109", Codes(GoodFinalStage + "\n" + run + "\n"));

    // ---- SBC3110: -y ----

    [Fact]
    public void apt_get_install_without_yes_warns()
    {
        var d = InFinal("RUN apt-get install --no-install-recommends tini").Single();
        Assert.Equal("SBC3110", d.Code);
        Assert.Contains("(hadolint DL3014)", d.Message);
    }

    [Theory]
    [InlineData("-y")]
    [InlineData("--yes")]
    [InlineData("--assume-yes")]
    [InlineData("-qq")]
    [InlineData("-yq")]
    [InlineData("-qy")]
    [InlineData("-o APT::Get::Assume-Yes=true")]
    public void Any_form_of_yes_passes(string yes)
        => Assert.Empty(InFinal($"RUN apt-get install {yes} --no-install-recommends tini"));

    [Fact]
    public void One_RUN_gets_one_warning_per_rule_at_its_first_offending_command()
    {
        var findings = InFinal("RUN apt-get install --no-install-recommends gcc && apt-get install --no-install-recommends gcc make");
        Assert.Equal(["SBC3110", "SBC3107", "SBC3107"], findings.Select(d => d.Code));
        Assert.Equal([5, 45, 96], findings.Select(d => d.Span.Column));
    }

    // ---- SBC3111: lists removed ----

    [Fact]
    public void apt_lists_kept_in_the_final_stage_warn_at_the_update()
    {
        var d = InFinal("RUN apt-get update && apt-get install -y --no-install-recommends tini").Single();
        Assert.Equal("SBC3111", d.Code);
        Assert.Equal(new SourceSpan(5, 5, 5, 18), d.Span);
        Assert.Contains("stay in the layer of stage 'runtime' (hadolint DL3009)", d.Message);
    }

    [Theory]
    [InlineData("RUN " + Clean)]
    [InlineData("RUN --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y --no-install-recommends tini")]
    [InlineData("RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update")]
    [InlineData("RUN apt-get update; \\\n    apt-get install -y --no-install-recommends tini; \\\n    rm -rf /var/lib/apt/lists")]
    public void Lists_removed_or_kept_out_of_the_layer_pass(string run)
        => Assert.Empty(InFinal(run));

    [Fact]
    public void Lists_matter_in_stages_that_others_build_on_but_not_in_a_builder_only_copied_from()
    {
        const string update = "RUN apt-get update && apt-get install -y --no-install-recommends gcc";
        var findings = Check($"""
            FROM python:3.11-slim AS base
            {update}
            FROM base AS tools
            RUN true
            FROM python:3.11-slim AS builder
            {update}
            FROM python:3.11-slim AS runtime
            COPY --from=builder /app /app
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini"]
            """).With("SBC3111");
        Assert.Equal([2], findings.Select(d => d.Span.Line));
    }

    // ---- SBC3112: apt ----

    [Fact]
    public void apt_instead_of_apt_get_warns_at_apt()
    {
        var d = InFinal("RUN apt install -y --no-install-recommends tini").Single();
        Assert.Equal("SBC3112", d.Code);
        Assert.Equal(new SourceSpan(5, 5, 5, 7), d.Span);
        Assert.Contains("(hadolint DL3027)", d.Message);
    }

    [Fact]
    public void apt_get_and_apt_cache_are_not_apt()
        => Assert.Empty(InFinal("RUN apt-cache policy tini && " + Clean));

    // ---- Shell structure: heredocs, continuations, sh -c, sudo ----

    [Fact]
    public void A_heredoc_body_is_read_as_a_script_with_exact_lines()
    {
        var findings = Check(GoodFinalStage + """

            RUN <<EOF
            set -eu
            apt-get update
            apt-get install -y tini
            EOF
            USER app
            """);
        Assert.Equal([(7, "SBC3111"), (8, "SBC3109")], findings.Select(d => (d.Span.Line, d.Code)));
        Assert.Equal(new SourceSpan(8, 1, 8, 15), findings[1].Span);
    }

    [Fact]
    public void A_heredoc_fed_to_another_program_is_data_not_a_script()
        => Assert.Empty(Check(GoodFinalStage + "\nRUN python3 <<EOF\nprint('apt-get install foo')\nEOF\nRUN cat <<EOF > /etc/motd\napt-get install x\nEOF\n"));

    [Fact]
    public void A_heredoc_run_by_a_named_shell_is_a_script()
        => Assert.Contains("SBC3110", Codes(GoodFinalStage + "\nRUN <<EOF bash\napt-get install --no-install-recommends tini\nEOF\n"));

    [Fact]
    public void Scripts_in_sh_c_and_exec_form_are_read()
    {
        Assert.Contains("SBC3110", Codes(GoodFinalStage + "\nRUN sh -c \"apt-get install --no-install-recommends tini\"\n"));
        Assert.Contains("SBC3110", Codes(GoodFinalStage + "\nRUN [\"apt-get\", \"install\", \"--no-install-recommends\", \"tini\"]\n"));
        Assert.Contains("SBC3110", Codes(GoodFinalStage + "\nRUN [\"/bin/sh\", \"-c\", \"apt-get install --no-install-recommends tini\"]\n"));
    }

    [Fact]
    public void Quoted_text_and_comments_are_not_commands()
        => Assert.Empty(InFinal("RUN echo \"apt install x; apt-get install y\" # apt install z"));

    // ---- SBC3107 and SBC3108: build tools in the final stage ----

    [Theory]
    [InlineData("build-essential")]
    [InlineData("gcc")]
    [InlineData("g++")]
    [InlineData("gcc-12")]
    [InlineData("make")]
    [InlineData("clang")]
    [InlineData("python3-dev")]
    [InlineData("libpq-dev")]
    [InlineData("gcc=4:12.2.0-3")]
    public void Build_tools_installed_in_the_final_stage_fail_at_the_package(string package)
    {
        var d = InFinal($"RUN apt-get update && apt-get install -y --no-install-recommends tini {package} && rm -rf /var/lib/apt/lists/*").Single();
        Assert.Equal("SBC3107", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        int column = "RUN apt-get update && apt-get install -y --no-install-recommends tini ".Length + 1;
        Assert.Equal(new SourceSpan(5, column, 5, column + package.Length - 1), d.Span);
        Assert.Contains("is installed in the final stage 'runtime'", d.Message);
    }

    [Fact]
    public void Build_tools_of_alpine_and_of_a_stage_the_final_stage_builds_on_fail_too()
    {
        var findings = Check("""
            FROM python:3.11-alpine AS base
            RUN apk add --no-cache musl-dev
            FROM base AS runtime
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini"]
            """);
        var d = findings.Single();
        Assert.Equal("SBC3107", d.Code);
        Assert.Contains("stage 'base', which the final stage 'runtime' is built on", d.Message);
    }

    [Fact]
    public void Build_tools_in_a_builder_stage_or_removed_in_the_same_RUN_pass()
        => Assert.Empty(Check("""
            FROM python:3.11-slim AS builder
            RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev && rm -rf /var/lib/apt/lists/*
            FROM python:3.11-alpine AS runtime
            RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir psycopg && apk del .build-deps
            RUN apk add --no-cache make && make -C /src install && apk del make
            USER app
            HEALTHCHECK CMD ["/hc"]
            ENTRYPOINT ["tini"]
            """));

    [Theory]
    [InlineData("/usr/include")]
    [InlineData("/usr/include/python3.11")]
    [InlineData("/usr/lib/gcc/")]
    public void Copying_compiler_directories_into_the_final_stage_fails(string source)
    {
        var d = Check("FROM python:3.11-slim AS builder\nRUN true\n" + GoodFinalStage + $"\nCOPY --from=builder {source} {source}\n").Single();
        Assert.Equal("SBC3108", d.Code);
        Assert.Equal(new SourceSpan(7, 21, 7, 20 + source.Length), d.Span);
    }

    [Fact]
    public void Copying_the_virtual_environment_passes()
        => Assert.Empty(Check("FROM python:3.11-slim AS builder\nRUN true\n" + GoodFinalStage + "\nCOPY --from=builder /app/.venv /app/.venv\nCOPY --from=builder /usr/local/lib /usr/local/lib\n"));
}
