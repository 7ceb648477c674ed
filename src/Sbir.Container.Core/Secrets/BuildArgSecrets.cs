using Sbir.Container.Diagnostics;

namespace Sbir.Container.Secrets;

/// <summary>
/// No secret may become a build argument (SBC2010): build arguments are stored in the image history (docker history
/// shows them to anyone who pulls the image) and printed by docker and MSBuild. One check for every path a build
/// argument takes: SbirContainerBuildArg items, container.buildArgs of config/docker.yaml (before they become MSBuild
/// items), and DockerBuild itself. A value is a secret when it holds a value of the <see cref="SecretValueSet"/> (a
/// .env password inside a bolt:// URL included) or is shaped like credentials (a URL with a password, user/password for
/// NEO4J_AUTH). A secret-looking name alone is SBC0015.
/// </summary>
public static class BuildArgSecrets
{
    /// <summary>What <paramref name="value"/> holds that makes it a secret, for the message; null when nothing.</summary>
    public static string? Why(string name, string? value, SecretValueSet known)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (known.FindIn(value) is { } found)
        {
            return $"the value of {found.Secret.Name} (from {found.Secret.Source})";
        }

        return CredentialShape(name, value);
    }

    /// <summary>SBC2010 for each argument that holds a secret; <paramref name="file"/> is where the arguments are written (null: the project file).</summary>
    public static IEnumerable<Diagnostic> Check(IEnumerable<KeyValuePair<string, string>> arguments, SecretValueSet known, string? file)
    {
        foreach (var (name, value) in arguments)
        {
            if (Why(name, value, known) is { } why)
            {
                yield return Withheld(name, why, file);
            }
        }
    }

    /// <summary>SBC2010 for <paramref name="name"/>, which holds <paramref name="why"/>.</summary>
    public static Diagnostic Withheld(string name, string why, string? file)
        => DiagnosticCatalog.SecretInBuildArg.Create(file, SourceSpan.None, name, why, name.ToLowerInvariant());

    /// <summary>What credentials the value holds: a Neo4j user/password, or a URL with user and password; null for neither.</summary>
    internal static string? CredentialShape(string name, string value)
    {
        if (IsNeo4jAuth(name) && !value.Contains("://", StringComparison.Ordinal))
        {
            int slash = value.IndexOf('/');
            if (slash > 0 && slash < value.Length - 1 && HasLiteral(value[(slash + 1)..]))
            {
                return "user/password for NEO4J_AUTH";
            }
        }

        int from = 0;
        while (from < value.Length)
        {
            int at = value.IndexOf("://", from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            int scheme = at;
            while (scheme > 0 && (char.IsAsciiLetterOrDigit(value[scheme - 1]) || value[scheme - 1] is '+' or '.' or '-'))
            {
                scheme--;
            }

            int end = at + 3;
            while (end < value.Length && value[end] is not ('/' or '?' or '#' or ' ' or '\t' or '\n'))
            {
                end++;
            }

            if (scheme < at && char.IsAsciiLetter(value[scheme]))
            {
                string authority = value[(at + 3)..end];
                int atSign = authority.LastIndexOf('@');
                int colon = atSign > 0 ? authority.IndexOf(':') : -1;
                if (colon >= 0 && colon < atSign - 1 && HasLiteral(authority[(colon + 1)..atSign]))
                {
                    return "a URL with a user name and password";
                }
            }

            from = Math.Max(end, at + 3);
        }

        return null;
    }

    private static bool IsNeo4jAuth(string name) => name.EndsWith("NEO4J_AUTH", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="value"/> holds text that is not a reference ($X, ${X}, $(...)).</summary>
    private static bool HasLiteral(string value) => Dockerfile.Rules.Variables.HasLiteral(value);
}
