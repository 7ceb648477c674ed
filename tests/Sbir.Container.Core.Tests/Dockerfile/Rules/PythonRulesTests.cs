using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;
using Sbir.Container.Project;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>Manifests before source, no pip or uv cache in the layer.</summary>
public class PythonRulesTests
{
    private static List<Diagnostic> InBuilder(string body)
        => Check("FROM python:3.11-slim AS builder\nWORKDIR /app\n" + body + "\n" + GoodFinalStage).ToList();

    // ---- SBC3120: dependency manifests copied before the source ----

    [Fact]
    public void COPY_dot_before_poetry_install_warns_at_the_source()
    {
        var d = InBuilder("COPY . .\nRUN poetry install --only main").Single();
        Assert.Equal("SBC3120", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(new SourceSpan(3, 6, 3, 6), d.Span);
        Assert.Contains("'.' is copied before the dependency install at line 4", d.Message);
    }

    [Theory]
    [InlineData("COPY src/ ./src/\nRUN pip install --no-cache-dir -r requirements.txt")]
    [InlineData("COPY pyproject.toml uv.lock src ./\nRUN uv sync --frozen --no-cache")]
    [InlineData("ADD . /app\nRUN pip install --no-cache-dir .")]
    [InlineData("COPY . .\nRUN python -m pip install --no-cache-dir -e .")]
    [InlineData("COPY . .\nRUN pip wheel --wheel-dir=/wheels -r requirements.txt")]
    public void Source_before_any_dependency_install_warns(string body)
        => Assert.Contains("SBC3120", InBuilder(body).Select(d => d.Code));

    [Theory]
    [InlineData("COPY pyproject.toml poetry.lock README.md ./\nRUN poetry install --only main\nCOPY src/ ./src/")]
    [InlineData("COPY pyproject.toml poetry.lock* ./\nCOPY README.rst LICENSE ./\nRUN poetry install --no-root\nCOPY . .")]
    [InlineData("COPY requirements.txt requirements-dev.txt constraints.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .")]
    [InlineData("COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-cache\nCOPY . .")]
    [InlineData("COPY setup.py setup.cfg ./\nRUN pip install --no-cache-dir -r requirements.txt")]
    [InlineData("COPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir --no-index --find-links=/wheels -r /wheels/requirements.txt")]
    [InlineData("COPY . .\nRUN pip install --no-cache-dir poetry==1.8.5")]
    public void Manifests_first_or_no_dependency_install_passes(string body)
        => Assert.DoesNotContain("SBC3120", InBuilder(body).Select(d => d.Code));

    // ---- SBC3126: pip and uv caches ----

    [Fact]
    public void pip_install_without_no_cache_dir_warns_at_the_command()
    {
        var d = InBuilder("RUN pip install poetry==1.8.5").Single();
        Assert.Equal("SBC3126", d.Code);
        Assert.Equal(new SourceSpan(3, 5, 3, 15), d.Span);
        Assert.Contains("'pip install' keeps its download cache in the image layer (hadolint DL3042)", d.Message);
        Assert.Contains("Add --no-cache-dir, set ENV PIP_NO_CACHE_DIR=1", d.Message);
    }

    [Theory]
    [InlineData("RUN python3 -m pip install poetry")]
    [InlineData("RUN pip3.11 install poetry")]
    [InlineData("RUN uv pip install --system httpx")]
    [InlineData("RUN uv sync --frozen")]
    public void Other_spellings_of_pip_and_uv_warn(string run)
        => Assert.Contains("SBC3126", InBuilder(run).Select(d => d.Code));

    [Theory]
    [InlineData("RUN pip install --no-cache-dir poetry")]
    [InlineData("RUN PIP_NO_CACHE_DIR=1 pip install poetry")]
    [InlineData("ENV PIP_NO_CACHE_DIR=1\nRUN pip install poetry")]
    [InlineData("RUN export PIP_NO_CACHE_DIR=1 && pip install poetry")]
    [InlineData("RUN --mount=type=cache,target=/root/.cache/pip pip install poetry")]
    [InlineData("RUN --mount=type=cache,target=/root/.cache pip install poetry")]
    [InlineData("RUN pip install poetry && rm -rf /root/.cache/pip")]
    [InlineData("RUN pipx install poetry && pipenv install")]
    [InlineData("RUN uv sync --frozen --no-cache")]
    [InlineData("RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen")]
    [InlineData("ENV UV_NO_CACHE=1\nRUN uv pip install --system httpx")]
    public void Cache_kept_out_of_the_layer_passes(string body)
        => Assert.DoesNotContain("SBC3126", InBuilder(body).Select(d => d.Code));

    [Fact]
    public void PIP_NO_CACHE_DIR_set_in_a_stage_the_stage_builds_on_counts()
        => Assert.Empty(Check("FROM python:3.11-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base AS runtime\nRUN pip install httpx\nUSER app\nHEALTHCHECK CMD [\"/hc\"]\nENTRYPOINT [\"tini\"]\n"));
}

/// <summary>SBC3128/SBC3129: the Poetry a Dockerfile pins against the poetry.lock of the context.</summary>
public class PoetryPinRuleTests
{
    private static readonly PoetryLock Format21By221 = new("/ctx/poetry.lock", new Version(2, 2, 1), "2.1", 9);
    private static readonly PoetryLock Format20NoWriter = new("/ctx/poetry.lock", null, "2.0", 3);

    private static List<Diagnostic> Builder(string body, PoetryLock? lockFile)
        => Check("FROM python:3.11-slim AS builder\n" + body + "\n" + GoodFinalStage, new DockerfileRuleOptions { PoetryLock = lockFile })
            .Where(d => d.Code is "SBC3128" or "SBC3129").ToList();

    [Fact]
    public void An_ARG_pin_older_than_the_lock_format_is_an_error_at_the_ARG()
    {
        var d = Builder("ARG POETRY_VERSION=1.8.5\nRUN pip install --no-cache-dir \"poetry==${POETRY_VERSION}\"", Format21By221).Single();
        Assert.Equal("SBC3128", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(2, d.Span.Line);
        Assert.Equal(5, d.Span.Column);
        Assert.Contains("pip install poetry==${POETRY_VERSION} installs Poetry 1.8.5, but", d.Message);
        Assert.Contains("has lock-version 2.1, a format Poetry writes from 2.0 on (written by Poetry 2.2.1)", d.Message);
        Assert.Contains("Pin Poetry 2.2.1 or newer here (for example ARG POETRY_VERSION=2.2.1)", d.Message);
    }

    [Fact]
    public void The_samples_own_Dockerfile_as_it_was_fails_on_the_samples_lock()
    {
        // The issue: the sample pinned 1.8.5 while its lock has lock-version 2.1 from Poetry 2.2.1.
        string dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Sample, "Dockerfile"));
        string old = System.Text.RegularExpressions.Regex.Replace(dockerfile, @"ARG POETRY_VERSION=\S+", "ARG POETRY_VERSION=1.8.5");
        var options = new DockerfileRuleOptions { RuntimeStage = "runtime", PoetryLock = PoetryLock.Read(Path.Combine(RepoPaths.Sample, "poetry.lock")) };
        var findings = DockerfileRules.Check(DockerfileParser.Parse(old, "Dockerfile"), options);
        int line = old.Split('\n').ToList().FindIndex(l => l.StartsWith("ARG POETRY_VERSION=", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, findings.With("SBC3128").Single().Span.Line);
        Assert.DoesNotContain(DockerfileRules.Check(DockerfileParser.Parse(dockerfile, "Dockerfile"), options), d => d.Code is "SBC3128" or "SBC3129");
    }

    [Theory]
    [InlineData("RUN pip install --no-cache-dir poetry==1.8.5", 2, "pip install poetry==1.8.5")]
    [InlineData("RUN pipx install poetry==1.8.5", 2, "pipx install poetry==1.8.5")]
    [InlineData("RUN uv tool install 'poetry==1.8.5'", 2, "uv tool install poetry==1.8.5")]
    [InlineData("RUN python3 -m pip install --no-cache-dir 'poetry<2'", 2, "installs Poetry below 2.0")]
    [InlineData("RUN pip install --no-cache-dir poetry~=1.8.2", 2, "installs Poetry below 1.9")]
    [InlineData("RUN curl -sSL https://install.python-poetry.org | python3 - --version 1.8.5", 2, "the Poetry installer --version 1.8.5")]
    [InlineData("ENV POETRY_VERSION=1.7.1\nRUN curl -sSL https://install.python-poetry.org | python3 -", 2, "the Poetry installer with POETRY_VERSION")]
    public void Every_way_of_installing_an_old_Poetry_is_found(string body, int line, string text)
    {
        var d = Builder(body, Format21By221).Single();
        Assert.Equal("SBC3128", d.Code);
        Assert.Equal(line, d.Span.Line);
        Assert.Contains(text, d.Message);
    }

    [Fact]
    public void A_pin_that_reads_the_format_but_predates_the_writer_is_a_warning()
    {
        var d = Builder("RUN pip install --no-cache-dir poetry==2.1.3", Format21By221).Single();
        Assert.Equal("SBC3129", d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("installs Poetry 2.1.3, older than Poetry 2.2.1, which wrote", d.Message);
    }

    [Theory]
    [InlineData("RUN pip install --no-cache-dir poetry==2.2.1")]
    [InlineData("RUN pip install --no-cache-dir poetry==2.3.0")]
    [InlineData("RUN pip install --no-cache-dir poetry")]
    [InlineData("RUN pip install --no-cache-dir 'poetry>=2.2'")]
    [InlineData("RUN pip install --no-cache-dir poetry-core==1.9.0")]
    [InlineData("ARG POETRY_VERSION\nRUN pip install --no-cache-dir \"poetry==${POETRY_VERSION}\"")]
    public void New_enough_unpinned_or_unknown_pins_pass(string body)
        => Assert.Empty(Builder(body, Format21By221));

    [Fact]
    public void Without_a_lock_nothing_is_checked()
        => Assert.Empty(Builder("RUN pip install --no-cache-dir poetry==1.0.0", null));

    [Fact]
    public void A_lock_without_a_writer_is_judged_by_its_format()
    {
        // The offline twin's lock (format 2.0, written by Debian's Poetry 1.3.2): 1.8.5 and 2.2.1 read it, 1.2 does not.
        Assert.Empty(Builder("RUN pip install --no-cache-dir poetry==1.8.5", Format20NoWriter));
        Assert.Empty(Builder("RUN pip install --no-cache-dir poetry==2.2.1", Format20NoWriter));
        Assert.Equal("SBC3128", Builder("RUN pip install --no-cache-dir poetry==1.2.2", Format20NoWriter).Single().Code);
    }

    [Fact]
    public void A_pin_given_as_a_build_argument_is_reported_at_the_install()
    {
        var options = new DockerfileRuleOptions { PoetryLock = Format21By221, BuildArgs = new Dictionary<string, string> { ["POETRY_VERSION"] = "1.8.5" } };
        var d = Check("FROM python:3.11-slim AS builder\nARG POETRY_VERSION=2.2.1\nRUN pip install --no-cache-dir \"poetry==${POETRY_VERSION}\"\n" + GoodFinalStage, options).With("SBC3128").Single();
        Assert.Equal(3, d.Span.Line);
    }

    [Fact]
    public void A_global_ARG_pin_is_reported_at_the_global_ARG()
    {
        var d = Check("ARG POETRY_VERSION=1.8.5\nFROM python:3.11-slim AS builder\nARG POETRY_VERSION\nRUN pip install --no-cache-dir poetry==$POETRY_VERSION\n" + GoodFinalStage,
            new DockerfileRuleOptions { PoetryLock = Format21By221 }).With("SBC3128").Single();
        Assert.Equal(1, d.Span.Line);
    }
}
