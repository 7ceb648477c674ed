namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>
/// Every row of the table in validation-anchors.md 3.4 ("What catches the project's patterns"), in the file type it
/// comes from. gitleaks, detect-secrets and trufflehog each miss most rows; all of them must be found here, except the
/// ${VAR} and *_FILE forms, which must not.
/// </summary>
public class ValidationAnchorTableTests
{
    public static TheoryData<string, string, string, string> Rows() => new()
    {
        // text, path, code, value at the reported span
        { "services:\n  neo4j:\n    environment:\n      - NEO4J_AUTH=neo4j/password123\n", "docker-compose.yml", "SBC2001", "password123" },
        { "services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: neo4j/password123\n", "docker-compose.yml", "SBC2001", "password123" },
        { "NEO4J_AUTH=neo4j/Tr0ub4dor3xyz\n", ".env", "SBC2001", "Tr0ub4dor3xyz" },
        { "neo4j:\n  password: changeme\n", "config/docker.yaml", "SBC2001", "changeme" },
        { "NEO4J_PASSWORD=password123\n", ".env", "SBC2001", "password123" },
        { "NEO4J_PASSWORD=\"password123\"\n", ".env", "SBC2001", "password123" },
        { "NEO4J_PASSWORD=Xk9#mQ2v!Lp4\n", ".env", "SBC2001", "Xk9#mQ2v!Lp4" },
        { "SBIR_ETL__NEO4J__PASSWORD=hunter2hunter2\n", ".env", "SBC2001", "hunter2hunter2" },
        { "services:\n  app:\n    environment:\n      NEO4J_PASSWORD: ${NEO4J_PASSWORD:-Sup3rS3cretPw}\n", "docker-compose.yml", "SBC2002", "Sup3rS3cretPw" },
        { "FROM neo4j:5\nENV NEO4J_AUTH=neo4j/password123\n", "Dockerfile", "SBC2001", "password123" },
        { "neo4j:\n  uri: bolt://neo4j:s3cr3t@neo4j:7687\n", "config/docker.yaml", "SBC2003", "s3cr3t" },
        { "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "config/credentials", "SBC2001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "aws:\n  aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "config/aws.yaml", "SBC2001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "aws:\n  key_id: " + "AK" + "IAQ3EGRTVNXW5KJ7LP\n", "config/aws.yaml", "SBC2005", "AK" + "IAQ3EGRTVNXW5KJ7LP" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_row_is_detected(string text, string path, string code, string value)
        => SecretScan.Single(text, path, code, value);

    [Theory]
    [InlineData("services:\n  neo4j:\n    environment:\n      - NEO4J_AUTH=neo4j/${NEO4J_PASSWORD}\n", "docker-compose.yml")]
    [InlineData("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: ${NEO4J_AUTH}\n", "docker-compose.yml")]
    [InlineData("NEO4J_PASSWORD=${NEO4J_PASSWORD}\n", ".env")]
    [InlineData("services:\n  app:\n    environment:\n      NEO4J_PASSWORD: ${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}\n", "docker-compose.yml")]
    [InlineData("FROM neo4j:5\nENV NEO4J_AUTH_FILE=/run/secrets/neo4j_auth\n", "Dockerfile")]
    [InlineData("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH_FILE: /run/secrets/neo4j_auth\n", "docker-compose.yml")]
    [InlineData("neo4j:\n  uri: bolt://neo4j:${NEO4J_PASSWORD}@neo4j:7687\n", "config/docker.yaml")]
    public void Reference_and_file_forms_are_clean(string text, string path)
        => SecretScan.None(text, path);
}
