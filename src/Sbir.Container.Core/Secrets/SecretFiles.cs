namespace Sbir.Container.Secrets;

/// <summary>
/// Files whose name or folder says they hold a secret, whatever is in them: a file in a <c>secrets/</c> folder
/// (<c>config/secrets/neo4j_password</c>), a name whose last word is a secret (<c>neo4j_password</c>,
/// <c>api-token.txt</c>, <c>client_secret.json</c>, judged by <see cref="SecretNames"/>), SSH and other private keys
/// (<c>id_rsa</c>, <c>*.key</c>, <c>*.p12</c>, <c>*.pfx</c>), and the credential files of common tools
/// (<c>.netrc</c>, <c>.pgpass</c>, <c>.htpasswd</c>, <c>.git-credentials</c>, <c>credentials</c>). Such a file in an
/// image is readable by anyone who can pull it, so its name alone is the finding (SBC2008).
/// </summary>
public static class SecretFiles
{
    private static readonly HashSet<string> CredentialFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ".netrc", "_netrc", ".pgpass", ".htpasswd", ".git-credentials", "credentials", "credentials.json", ".my.cnf",
        ".npmrc", ".pypirc", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
    };

    private static readonly string[] KeyExtensions = [".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx"];

    /// <summary>Why the file at <paramref name="relativePath"/> ('/'-separated) holds a secret by its name, or null.</summary>
    public static string? Why(string relativePath)
    {
        string[] parts = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        if (parts[..^1].Any(p => p.Equals("secrets", StringComparison.OrdinalIgnoreCase) || p.Equals(".secrets", StringComparison.OrdinalIgnoreCase)))
        {
            return "it is in a secrets/ folder";
        }

        string name = parts[^1];
        if (CredentialFiles.Contains(name))
        {
            return $"{name} is a credentials or private key file";
        }

        if (KeyExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return "its extension is that of a private key or key store";
        }

        int dot = name.IndexOf('.', 1);
        string stem = dot > 0 ? name[..dot] : name;
        return SecretNames.LooksSecret(stem) ? $"its name ({stem}) says it holds a secret" : null;
    }
}
