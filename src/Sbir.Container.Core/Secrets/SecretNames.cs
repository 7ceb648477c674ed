using System.Text;
using System.Text.RegularExpressions;

namespace Sbir.Container.Secrets;

/// <summary>
/// Which keys and variables hold a secret, judged by the last word of the name: PASSWORD, PASSWD, SECRET, TOKEN,
/// APIKEY, PASSPHRASE (alone or at the end: password:, NEO4J_PASSWORD, PGPASSWORD, dbPassword), API/SECRET/PRIVATE/ACCESS
/// followed by KEY (api_key, AWS_SECRET_ACCESS_KEY), and PWD, PASS, AUTH after another word (MYSQL_PWD, SMTP_PASS,
/// NEO4J_AUTH). Words are split at '_', '-', '.', spaces and camelCase humps.
/// </summary>
/// <remarks>
/// The one "looks like a secret name" check of the SDK: the secret scanner (a literal value of such a key is an error),
/// the log masker (such a variable's value in .env is masked), build arguments (SBC0015) and the compose and Dockerfile
/// rules all ask it. A name only counts when its last word says it holds the secret: NEO4J_AUTH_FILE, TOKEN_URL,
/// PASSWORD_MIN_LENGTH, AUTH_ENABLED and secret_mount_path name something else, and masking their values ("true", a
/// path) would garble every log.
/// </remarks>
public static partial class SecretNames
{
    private static readonly string[] AloneOrSuffix = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PASSPHRASE"];
    private static readonly string[] AfterAnotherWord = ["PWD", "PASS", "AUTH"];
    private static readonly string[] BeforeKey = ["API", "SECRET", "PRIVATE", "ACCESS"];

    /// <summary>True when the name says its value is a secret.</summary>
    public static bool LooksSecret(string? name)
    {
        var words = Words(name);
        if (words.Count == 0)
        {
            return false;
        }

        string last = words[^1];
        foreach (string word in AloneOrSuffix)
        {
            if (last.EndsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (words.Count >= 2)
        {
            string previous = words[^2];
            return AfterAnotherWord.Contains(last) || (last == "KEY" && BeforeKey.Contains(previous));
        }

        return false;
    }

    /// <summary>True for *_AUTH names (NEO4J_AUTH), whose value is user/password (or user:password).</summary>
    public static bool IsAuthPair(string? name)
    {
        var words = Words(name);
        return words.Count >= 2 && words[^1] == "AUTH";
    }

    /// <summary>
    /// The environment variable to suggest instead of a literal: the name itself when it is one (NEO4J_AUTH becomes
    /// NEO4J_PASSWORD), otherwise the upper-case words of the parent key and the key (neo4j: password: gives NEO4J_PASSWORD).
    /// </summary>
    public static string VariableFor(string key, string? parent = null)
    {
        if (EnvironmentName().IsMatch(key))
        {
            return IsAuthPair(key) ? key[..^4] + "PASSWORD" : key;
        }

        var words = Words(key).ToList();
        if (words.Count > 0 && words[^1] == "AUTH")
        {
            words[^1] = "PASSWORD";
        }

        if (words.Count == 1 && !string.IsNullOrEmpty(parent))
        {
            words.InsertRange(0, Words(parent));
        }

        string joined = string.Join('_', words.Where(w => w.Length > 0));
        return joined.Length == 0 ? "SECRET" : joined;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();

    /// <summary>The upper-case words of a name; empty for null or a name of more than 200 characters.</summary>
    internal static IReadOnlyList<string> Words(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return [];
        }

        var words = new List<string>();
        var current = new StringBuilder();
        bool currentHasLower = false;
        char previous = '\0';
        foreach (char c in name.Trim())
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                Flush();
                previous = c;
                continue;
            }

            // camelCase: a capital after a lower-case letter (dbPassword), or after a digit in a word that has
            // lower-case letters (neo4jAuth), starts a word; NEO4J_AUTH stays NEO4J.
            if (char.IsAsciiLetterUpper(c) && (char.IsAsciiLetterLower(previous) || (char.IsAsciiDigit(previous) && currentHasLower)))
            {
                Flush();
            }

            currentHasLower |= char.IsAsciiLetterLower(c);
            current.Append(char.ToUpperInvariant(c));
            previous = c;
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }

            currentHasLower = false;
        }
    }
}
