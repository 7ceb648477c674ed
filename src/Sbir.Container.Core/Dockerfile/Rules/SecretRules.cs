using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>
/// SBC3121 and SBC3122: no secret values in ARG or ENV. Unlike hadolint DL3064, which flags names, this
/// flags values: a secret-looking name with a literal value, or a credential-shaped value under any name.
/// An ARG without a default and <c>ENV X=${X}</c> pass. Messages give the length of a value, never the value.
/// </summary>
internal static class SecretRules
{
    public static void Check(RuleContext context)
    {
        var secretVariables = context.Options.SecretVariables ?? new HashSet<string>();
        foreach (var instruction in context.Document.Instructions)
        {
            if (instruction.Keyword is not ("ARG" or "ENV"))
            {
                continue;
            }

            foreach (var assignment in InstructionText.Assignments(instruction, context.Document.EscapeCharacter))
            {
                string? value = assignment.Value;
                if (value is null || !Variables.HasLiteral(value))
                {
                    continue;
                }

                SourceSpan span = InstructionText.Locate(instruction, assignment.NameWord);
                string length = value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (CredentialShape(assignment.Name, value) is { } shape)
                {
                    context.Report(instruction, span, DiagnosticCatalog.DockerfileCredentialsInValue, instruction.Keyword, assignment.Name, length, shape);
                }
                else if ((SecretNames.LooksSecret(assignment.Name) || secretVariables.Contains(assignment.Name))
                    && !(IsNeo4jAuth(assignment.Name) && value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)))
                {
                    context.Report(instruction, span, DiagnosticCatalog.DockerfileSecretInArgOrEnv, instruction.Keyword, assignment.Name, length);
                }
            }
        }
    }

    /// <summary>What credentials the value holds: a Neo4j user/password, or a URL with user and password; null for neither.</summary>
    internal static string? CredentialShape(string name, string value)
    {
        if (IsNeo4jAuth(name) && !value.Contains("://", StringComparison.Ordinal))
        {
            int slash = value.IndexOf('/');
            if (slash > 0 && slash < value.Length - 1 && Variables.HasLiteral(value[(slash + 1)..]))
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
                if (colon >= 0 && colon < atSign - 1 && Variables.HasLiteral(authority[(colon + 1)..atSign]))
                {
                    return "a URL with a user name and password";
                }
            }

            from = Math.Max(end, at + 3);
        }

        return null;
    }

    private static bool IsNeo4jAuth(string name) => name.EndsWith("NEO4J_AUTH", StringComparison.OrdinalIgnoreCase);
}
