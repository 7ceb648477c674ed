using Sbir.Container.Diagnostics;
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
