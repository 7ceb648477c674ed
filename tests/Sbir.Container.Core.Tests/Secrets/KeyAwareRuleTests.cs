namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 1, SBC2001: a secret-named key with any literal value, wherever keys are assigned.</summary>
public class KeyAwareRuleTests
{
    [Theory]
    [InlineData("services:\n  neo4j:\n    environment:\n      - NEO4J_AUTH=neo4j/password123\n", "password123")]
    [InlineData("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: neo4j/password123\n", "password123")]
    [InlineData("services:\n  neo4j:\n    environment:\n      - \"NEO4J_AUTH=neo4j/password123\"\n", "password123")]
    [InlineData("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: \"neo4j/password123\"\n", "password123")]
    [InlineData("services:\n  app:\n    environment:\n      NEO4J_PASSWORD: changeme # weak, still a secret\n", "changeme")]
    [InlineData("services:\n  app:\n    environment:\n      - POSTGRES_PASSWORD=postgres\n", "postgres")]
    [InlineData("services:\n  app:\n    environment:\n      DAGSTER_POSTGRES_PASSWORD: 'admin'\n", "admin")]
    [InlineData("services:\n  app:\n    environment:\n      SBIR_ETL__NEO4J__PASSWORD: neo4j\n", "neo4j")]
    [InlineData("services:\n  app:\n    environment:\n      GITHUB_TOKEN: abc\n", "abc")]
    [InlineData("services:\n  app:\n    environment:\n      OPENAI_API_KEY: x1\n", "x1")]
    [InlineData("services:\n  app:\n    environment:\n      DJANGO_SECRET: s\n", "s")]
    [InlineData("services:\n  app:\n    environment:\n      MYSQL_PWD: secret\n", "secret")]
    [InlineData("services:\n  app:\n    environment:\n      SMTP_PASSWD: secret\n", "secret")]
    [InlineData("services:\n  app:\n    environment: [\"REDIS_PASSWORD=hunter2\", \"A=1\"]\n", "hunter2")]
    [InlineData("services:\n  app:\n    environment: {REDIS_PASSWORD: hunter2, A: 1}\n", "hunter2")]
    [InlineData("services:\n  app:\n    build:\n      args:\n        PIP_TOKEN: abc123\n", "abc123")]
    [InlineData("x-env: &env\n  NEO4J_PASSWORD: password\nservices:\n  app:\n    environment: *env\n", "password")]
    public void Compose_environment_lists_and_maps(string compose, string value)
        => SecretScan.Single(compose, "docker-compose.yml", "SBC2001", value);

    [Theory]
    [InlineData("neo4j:\n  host: neo4j\n  password: changeme\n", "changeme")]
    [InlineData("neo4j:\n  passwd: letmein\n", "letmein")]
    [InlineData("api:\n  token: abcdef\n", "abcdef")]
    [InlineData("api:\n  api_key: k-123\n", "k-123")]
    [InlineData("api:\n  secret: s3\n", "s3")]
    [InlineData("api:\n  clientSecret: s3\n", "s3")]
    [InlineData("aws:\n  aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("db:\n  password: |\n    multi-line-secret\n", "multi-line-secret")]
    [InlineData("db:\n  - password: pw1\n", "pw1")]
    [InlineData("\"password\": \"quoted key\"\n", "quoted key")]
    public void Config_yaml_keys_lower_case_included(string yaml, string value)
        => SecretScan.Single(yaml, "config/app.yaml", "SBC2001", value);

    [Theory]
    [InlineData("FROM python:3.11\nENV NEO4J_AUTH=neo4j/password123\n", "password123")]
    [InlineData("FROM python:3.11\nENV NEO4J_AUTH neo4j/password123\n", "password123")]
    [InlineData("FROM python:3.11\nENV A=1 NEO4J_PASSWORD=\"p a s s\" B=2\n", "p a s s")]
    [InlineData("FROM python:3.11\nENV NEO4J_PASSWORD='$ecret'\n", "$ecret")]
    [InlineData("FROM python:3.11\nARG PYPI_TOKEN=pypi-abc\n", "pypi-abc")]
    [InlineData("FROM python:3.11\nENV A=1 \\\n    API_TOKEN=tok123\n", "tok123")]
    [InlineData("FROM python:3.11\nonbuild env DB_PASSWORD=pw\n", "pw")]
    [InlineData("FROM python:3.11\nRUN export NEO4J_PASSWORD=secret && ./init.sh\n", "secret")]
    [InlineData("FROM python:3.11\nRUN docker build --build-arg NPM_TOKEN=abc .\n", "abc")]
    public void Dockerfile_env_and_arg(string dockerfile, string value)
        => SecretScan.Single(dockerfile, "Dockerfile", "SBC2001", value);

    [Theory]
    [InlineData("#!/bin/sh\nexport NEO4J_PASSWORD=secret\n", "secret")]
    [InlineData("#!/bin/sh\nNEO4J_PASSWORD='hunter2'\n", "hunter2")]
    [InlineData("#!/bin/sh\nPGPASSWORD=pg psql -h db\n", "pg")]
    [InlineData("#!/bin/sh\nlocal api_token=\"abc def\"\n", "abc def")]
    [InlineData("#!/bin/sh\ndocker run -e NEO4J_PASSWORD=pw neo4j\n", "pw")]
    public void Shell_assignments(string script, string value)
        => SecretScan.Single(script, "scripts/docker/start.sh", "SBC2001", value);

    [Theory]
    [InlineData("on: push\njobs:\n  t:\n    env:\n      NEO4J_PASSWORD: test-password\n", "test-password")]
    [InlineData("on: push\njobs:\n  t:\n    services:\n      neo4j:\n        env:\n          NEO4J_AUTH: neo4j/ci\n", "ci")]
    [InlineData("on: push\njobs:\n  t:\n    steps:\n      - run: |\n          export DB_PASSWORD=pw\n", "pw")]
    public void Workflow_env_blocks(string workflow, string value)
        => SecretScan.Single(workflow, ".github/workflows/ci.yml", "SBC2001", value);

    [Theory]
    [InlineData("NEO4J_PASSWORD=password123\n", "password123")]
    [InlineData("NEO4J_PASSWORD=\"password123\"\n", "password123")]
    [InlineData("export NEO4J_PASSWORD='password123'\n", "password123")]
    [InlineData("NEO4J_PASSWORD: password123\n", "password123")]
    [InlineData("NEO4J_PASSWORD=Xk9#mQ2v!Lp4\n", "Xk9#mQ2v!Lp4")]
    [InlineData("SBIR_ETL__NEO4J__PASSWORD=hunter2hunter2\n", "hunter2hunter2")]
    [InlineData("NEO4J_AUTH=neo4j/Tr0ub4dor3xyz\n", "Tr0ub4dor3xyz")]
    public void Dotenv_files(string env, string value)
        => SecretScan.Single(env, ".env", "SBC2001", value);

    [Fact]
    public void Prose_in_yaml_values_is_not_a_command()
        => SecretScan.None("app:\n  description: set NEO4J_PASSWORD=yourpass in .env, or pass --password to the CLI\n  help: >\n    export API_TOKEN=abc first\n", "config/app.yaml");

    [Fact]
    public void Names_from_the_environment_contract_count_too()
    {
        const string Compose = "services:\n  app:\n    environment:\n      SBIR_ETL__NEO4J__CREDS: value1\n";
        SecretScan.None(Compose, "docker-compose.yml");
        SecretScan.Single(Compose, "docker-compose.yml", "SBC2001", "value1", secretVariables: "SBIR_ETL__NEO4J__CREDS");
    }

    [Theory]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD}")]
    [InlineData("NEO4J_PASSWORD: $NEO4J_PASSWORD")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD?required}")]
    [InlineData("NEO4J_PASSWORD: $${NEO4J_PASSWORD}")]
    [InlineData("NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set it}")]
    [InlineData("NEO4J_AUTH: ${NEO4J_USER}/${NEO4J_PASSWORD}")]
    [InlineData("NEO4J_AUTH: none")]
    [InlineData("NEO4J_AUTH_FILE: /run/secrets/neo4j_auth")]
    [InlineData("NEO4J_PASSWORD_FILE: ./secrets/neo4j.txt")]
    [InlineData("NEO4J_PASSWORD: /run/secrets/neo4j_password")]
    [InlineData("NEO4J_PASSWORD:")]
    [InlineData("NEO4J_PASSWORD: \"\"")]
    [InlineData("NEO4J_PASSWORD: null")]
    [InlineData("NEO4J_PASSWORD: ~")]
    [InlineData("NEO4J_PASSWORD: *alias")]
    [InlineData("- NEO4J_PASSWORD")]
    [InlineData("- NEO4J_PASSWORD=")]
    [InlineData("- NEO4J_PASSWORD=${NEO4J_PASSWORD}")]
    [InlineData("TOKEN_URL: https://auth.example.org/token")]
    [InlineData("PASSWORD_MIN_LENGTH: 12")]
    [InlineData("AUTH_ENABLED: true")]
    [InlineData("NEO4J_dbms_security_auth__enabled: false")]
    [InlineData("NEO4J_USER: neo4j")]
    [InlineData("SBIR_ETL__NEO4J__USERNAME: neo4j")]
    public void Clean_compose_environment_forms(string entry)
        => SecretScan.None($"services:\n  neo4j:\n    environment:\n      {entry}\n", "docker-compose.yml");

    [Fact]
    public void Compose_secrets_entries_are_clean()
        => SecretScan.None("""
            services:
              neo4j:
                image: neo4j:5
                secrets: [neo4j_auth]
                environment:
                  NEO4J_AUTH_FILE: /run/secrets/neo4j_auth
              app:
                secrets:
                  - source: neo4j_password
                    target: neo4j_password
            secrets:
              neo4j_auth:
                file: ./secrets/neo4j_auth.txt
              neo4j_password:
                environment: NEO4J_PASSWORD
              api_token:
                external: true
            """, "docker-compose.yml");

    [Fact]
    public void Buildkit_secret_mounts_and_run_time_references_are_clean()
        => SecretScan.None("""
            # syntax=docker/dockerfile:1
            FROM python:3.11-slim
            ARG NEO4J_PASSWORD
            ARG PYPI_TOKEN
            ENV NEO4J_AUTH_FILE=/run/secrets/neo4j_auth
            RUN --mount=type=secret,id=pypi_token,env=PYPI_TOKEN pip install --index-url "https://__token__:$PYPI_TOKEN@pypi.example.org/simple" app
            RUN --mount=type=secret,id=neo4j_password NEO4J_PASSWORD="$(cat /run/secrets/neo4j_password)" ./seed.sh
            HEALTHCHECK CMD cypher-shell -u neo4j -p "$NEO4J_PASSWORD" 'RETURN 1'
            """, "Dockerfile");

    [Fact]
    public void Workflow_secrets_expressions_are_clean()
        => SecretScan.None("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                env:
                  NEO4J_PASSWORD: ${{ secrets.NEO4J_PASSWORD }}
                  REGISTRY_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                steps:
                  - uses: docker/login-action@v3
                    with:
                      password: ${{ secrets.GITHUB_TOKEN }}
                      token: ${{ github.token }}
                  - run: echo "$REGISTRY_TOKEN" | docker login ghcr.io -u me --password-stdin
            """, ".github/workflows/ci.yml");

    [Fact]
    public void Shell_references_are_clean()
        => SecretScan.None("""
            #!/bin/sh
            set -eu
            : "${NEO4J_PASSWORD:?NEO4J_PASSWORD is not set}"
            NEO4J_PASSWORD="${NEO4J_PASSWORD}"
            password=$(cat "$NEO4J_PASSWORD_FILE")
            token=`cat /run/secrets/token`
            export API_TOKEN="$1"
            local secret=""
            # NEO4J_PASSWORD=commented-out is not read
            """, "scripts/env.sh");
}
