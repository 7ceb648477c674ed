using Sbir.Container.Diagnostics;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>chown -R layers, sudo, relative WORKDIR, unverified downloads.</summary>
public class LayerRulesTests
{
    private static List<Diagnostic> InFinal(string body) => Check(GoodFinalStage + "\n" + body + "\n").ToList();

    // ---- SBC3123: chown -R of copied files ----

    [Theory]
    [InlineData("WORKDIR /app\nCOPY . /app\nRUN chown -R sbir:sbir /app", "/app")]
    [InlineData("WORKDIR /app\nCOPY . .\nRUN chown -R sbir .", ".")]
    [InlineData("COPY src/ /app/src/\nRUN mkdir -p /app/logs && chown --recursive sbir:sbir /app", "/app")]
    [InlineData("COPY . /app\nRUN chown -hR sbir /app/*", "/app/*")]
    public void chown_R_of_copied_files_warns(string body, string target)
    {
        var d = InFinal(body).Single();
        Assert.Equal("SBC3123", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains($"RUN chown -R '{target}'", d.Message);
        Assert.Contains("COPY --chown=user:group", d.Message);
    }

    [Theory]
    [InlineData("COPY --chown=sbir:sbir . /app")]
    [InlineData("COPY . /app\nRUN mkdir -p /data && chown -R sbir /data")]
    [InlineData("COPY . /app\nRUN chown sbir /app")]
    public void COPY_chown_and_chown_of_other_or_single_paths_pass(string body)
        => Assert.Empty(InFinal(body));

    [Fact]
    public void chown_R_of_files_copied_in_a_stage_the_final_stage_builds_on_warns()
        => Assert.Equal("SBC3123", Check("FROM python:3.11-slim AS base\nCOPY . /app\nFROM base AS runtime\nRUN chown -R app /app\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n").Single().Code);

    // ---- SBC3124: sudo ----

    [Fact]
    public void sudo_warns_at_sudo()
    {
        var d = InFinal("RUN sudo -u app touch /tmp/x").Single();
        Assert.Equal("SBC3124", d.Code);
        Assert.Equal(new SourceSpan(5, 5, 5, 8), d.Span);
        Assert.Contains("(hadolint DL3004)", d.Message);
    }

    [Fact]
    public void sudo_in_text_is_not_sudo()
        => Assert.Empty(InFinal("RUN echo 'sudo make me a sandwich' && grep -q sudo /etc/group || true"));

    [Fact]
    public void sudo_in_front_of_apt_get_still_lets_the_apt_rules_see_apt_get()
        => Assert.Equal(["SBC3110", "SBC3124"], Check(GoodFinalStage + "\nRUN sudo apt-get install --no-install-recommends tini\n").Select(d => d.Code).Order());

    // ---- SBC3125: relative WORKDIR ----

    [Fact]
    public void Relative_WORKDIR_warns()
    {
        var d = InFinal("WORKDIR app/src").Single();
        Assert.Equal("SBC3125", d.Code);
        Assert.Equal(new SourceSpan(5, 9, 5, 15), d.Span);
        Assert.StartsWith("WORKDIR 'app/src' is relative", d.Message);
        Assert.Contains("(hadolint DL3000)", d.Message);
    }

    [Theory]
    [InlineData("WORKDIR /app")]
    [InlineData("WORKDIR \"/app\"")]
    [InlineData("WORKDIR $APP_HOME")]
    [InlineData("WORKDIR ${APP_HOME}/src")]
    [InlineData("WORKDIR C:\\app")]
    public void Absolute_WORKDIR_passes(string workdir)
        => Assert.Empty(InFinal(workdir));

    // ---- SBC3127: executables downloaded without verification ----

    [Theory]
    [InlineData("RUN curl -fsSL -o /usr/local/bin/gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 && chmod +x /usr/local/bin/gosu", "'/usr/local/bin/gosu'")]
    [InlineData("RUN wget -qO /usr/bin/yq https://example.com/yq", "'/usr/bin/yq'")]
    [InlineData("RUN curl -L --output tool https://example.com/tool && chmod 755 tool", "'tool'")]
    [InlineData("RUN curl -fsSL https://install.python-poetry.org | python3 - && curl -sSf https://sh.rustup.rs | sh -s -- -y", "piped into sh")]
    [InlineData("RUN wget -qO- https://example.com/install.sh | bash", "piped into bash")]
    [InlineData("RUN curl -fsSL https://example.com/x > /usr/local/bin/x", "'/usr/local/bin/x'")]
    public void Executables_downloaded_without_a_checksum_warn(string run, string what)
    {
        var d = InFinal(run).Single();
        Assert.Equal("SBC3127", d.Code);
        Assert.Contains($"downloads an executable ({what})", d.Message);
        Assert.DoesNotContain("https://", d.Message);
    }

    [Theory]
    [InlineData("RUN curl -fsSL -o /usr/local/bin/gosu https://example.com/gosu && echo \"abc  /usr/local/bin/gosu\" | sha256sum -c - && chmod +x /usr/local/bin/gosu")]
    [InlineData("RUN curl -fsSLo /tmp/gosu.asc https://example.com/gosu.asc && curl -fsSLo /usr/local/bin/gosu https://example.com/gosu && gpg --batch --verify /tmp/gosu.asc /usr/local/bin/gosu")]
    [InlineData("RUN curl -fsSL -o /tmp/data.csv https://example.com/data.csv")]
    [InlineData("RUN curl -fsSL https://example.com/archive.tar.gz | tar -xz -C /opt")]
    public void Verified_downloads_and_data_pass(string run)
        => Assert.Empty(InFinal(run));
}
