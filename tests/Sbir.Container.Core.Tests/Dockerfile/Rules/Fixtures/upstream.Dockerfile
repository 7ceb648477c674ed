# syntax=docker/dockerfile:1.4
# Test fixture: the first multi-stage Dockerfile of the original project, rewritten for these tests from
# the prose description in the research notes (upstream-sbir-analytics.md, section 2.1). It keeps the
# problems the SBC31xx rules must find; DockerfileRulesSampleTests names each one with its line.

ARG PYTHON_VERSION=3.11
ARG POETRY_VERSION=1.7.1
ARG IMAGE_PY=python:${PYTHON_VERSION}-slim

# ---- builder: compilers, Poetry, wheels for every dependency and for the project ----
FROM python:3.11-slim AS builder

ENV DEBIAN_FRONTEND=noninteractive \
    PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential curl ca-certificates git gcc libpq-dev python3-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /workspace

RUN pip install --upgrade pip setuptools wheel \
    && pip install "poetry==1.7.1"

COPY pyproject.toml poetry.lock* /workspace/
# Poetry wants the README and the package metadata, so the whole context goes in here.
COPY . /workspace/

RUN poetry export -f requirements.txt --without-hashes --only main -o requirements.txt \
    && pip wheel --wheel-dir=/wheels -r requirements.txt \
    && pip wheel --wheel-dir=/wheels .

# ---- runtime: the wheels installed, gosu fetched from GitHub, the source copied again ----
FROM python:3.11-slim AS runtime

ARG SBIR_UID=1000
ARG SBIR_GID=1000

ENV PATH=/usr/local/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg tini \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid "${SBIR_GID}" sbir \
    && useradd --uid "${SBIR_UID}" --gid sbir --create-home --shell /bin/sh sbir

WORKDIR /app

COPY --from=builder /wheels /wheels
COPY --from=builder /workspace/requirements.txt /app/requirements.txt
RUN pip install --no-index --find-links=/wheels -r requirements.txt

RUN set -eux; \
    arch="$(dpkg --print-architecture)"; \
    curl -fsSL -o /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/1.14/gosu-${arch}"; \
    chmod +x /usr/local/bin/gosu; \
    gosu nobody true

COPY . /app

RUN mkdir -p /app/logs /app/data /app/reports /app/config /app/metrics \
    && chmod -R +x /app/scripts/docker

RUN chown -R sbir:sbir /app

EXPOSE 3000

ENTRYPOINT ["/usr/bin/tini", "--", "/app/scripts/docker/entrypoint.sh"]
CMD ["dagster-webserver"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD python -c "import sys; sys.exit(0)"

USER sbir
