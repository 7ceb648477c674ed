using System.Text.RegularExpressions;

namespace Sbir.Container.Secrets;

/// <summary>A credential recognised by its provider's format.</summary>
internal readonly record struct ProviderMatch(string Kind, int Start, int End);

/// <summary>
/// Credentials in their providers' own formats, found anywhere in a file (comments included), the second layer behind
/// the key-aware rules. The regular expressions are gitleaks' (v8.30) where it has one, run without backtracking so a
/// 5 MB line costs linear time; word boundaries are checked around each match.
/// <list type="bullet">
/// <item>AWS access key ID: (A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA) and 16 of [A-Z2-7].</item>
/// <item>GitHub: ghp_, gho_, ghu_, ghs_, ghr_ and 36 alphanumerics; github_pat_ and 82 word characters.</item>
/// <item>GitLab personal access token: glpat- and 20 characters.</item>
/// <item>npm: npm_ and 36 alphanumerics. PyPI upload token: pypi-AgEIcHlwaS5vcmc and 50 or more.</item>
/// <item>Docker Hub personal access token: dckr_pat_ and 27 characters.</item>
/// <item>Slack: xoxb-, xoxa-, xoxp-, xoxr-, xoxs- tokens; hooks.slack.com/services|workflows|triggers webhooks.</item>
/// <item>Stripe live secret and restricted keys: sk_live_ or rk_live_ and 16 to 99 alphanumerics.</item>
/// <item>Google API key: AIza and 35 characters.</item>
/// <item>JSON Web Token: three base64url parts, the first two starting eyJ (a JSON object), each 8 characters or more.</item>
/// <item>Private key: a -----BEGIN ... PRIVATE KEY----- block with at least 64 base64 characters before its -----END line.</item>
/// </list>
/// </summary>
internal static partial class ProviderTokens
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Word = Alnum + "_";

    private static readonly Pattern[] Patterns =
    [
        new("AWS access key ID", ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], @"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", Alnum, Alnum),
        new("GitHub token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], @"gh[pousr]_[A-Za-z0-9]{36}", Word, Word),
        new("GitHub fine-grained token", ["github_pat_"], @"github_pat_[A-Za-z0-9_]{82}", Word, Word),
        new("GitLab personal access token", ["glpat-"], @"glpat-[A-Za-z0-9_\-]{20}", Word, Base64Url),
        new("npm access token", ["npm_"], @"npm_[A-Za-z0-9]{36}", Word, Word),
        new("PyPI upload token", ["pypi-AgEIcHlwaS5vcmc"], @"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}", Word, null),
        new("Docker Hub access token", ["dckr_pat_"], @"dckr_pat_[A-Za-z0-9_\-]{27}", Word, Base64Url),
        new("Slack token", ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"], @"xox[baprs]-(?:[0-9A-Za-z]{1,48}-){1,4}[0-9A-Za-z]{8,64}", Alnum, Base64Url),
        new("Slack webhook URL", ["hooks.slack.com/"], @"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}", null, null),
        new("Stripe live key", ["sk_live_", "rk_live_"], @"[sr]k_live_[0-9A-Za-z]{16,99}", Word, Word),
        new("Google API key", ["AIza"], @"AIza[0-9A-Za-z_\-]{35}", Alnum, Base64Url),
        new("JSON Web Token", ["eyJ"], @"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", Base64Url, null),
    ];


    /// <summary>Every provider credential in <paramref name="text"/>, in no particular order.</summary>
    public static IEnumerable<ProviderMatch> Find(string text)
    {
        foreach (var pattern in Patterns)
        {
            if (!pattern.Prefilters.Any(p => text.Contains(p, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (Match match in pattern.Regex.Matches(text))
            {
                int start = match.Index;
                int end = match.Index + match.Length;
                if (pattern.Before is not null && start > 0 && pattern.Before.Contains(text[start - 1]))
                {
                    continue;
                }

                if (pattern.After is not null && end < text.Length && pattern.After.Contains(text[end]))
                {
                    continue;
                }

                yield return new ProviderMatch(pattern.Kind, start, end);
            }
        }

        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            foreach (var match in PrivateKeys(text))
            {
                yield return match;
            }
        }
    }

    /// <summary>The kind of provider credential <paramref name="value"/> holds, or null.</summary>
    public static string? KindOf(string value)
        => value.Length > 4096 ? null : Find(value).Select(m => m.Kind).FirstOrDefault();

    /// <summary>
    /// Private key blocks: a header, at least 64 base64 characters and no other header, then an -----END line within
    /// 64 KiB. Only the last header before a footer can open a block, so each body is counted once: linear.
    /// </summary>
    private static IEnumerable<ProviderMatch> PrivateKeys(string text)
    {
        const int MaxBody = 65536;
        var headers = PrivateKeyHeader().Matches(text);
        int footer = -1;
        for (int i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            int bodyStart = header.Index + header.Length;
            if (footer != int.MaxValue && footer < bodyStart)
            {
                int found = text.IndexOf("-----END", bodyStart, StringComparison.Ordinal);
                footer = found < 0 ? int.MaxValue : found;
            }

            if (footer == int.MaxValue || footer - bodyStart > MaxBody || (i + 1 < headers.Count && headers[i + 1].Index < footer))
            {
                continue;
            }

            if (Base64Count(text, bodyStart, footer) >= 64)
            {
                int searchFrom = footer + 8;
                int close = searchFrom < text.Length ? text.IndexOf("-----", searchFrom, Math.Min(200, text.Length - searchFrom), StringComparison.Ordinal) : -1;
                yield return new ProviderMatch("private key", header.Index, close < 0 ? Math.Min(text.Length, searchFrom) : close + 5);
            }
        }
    }

    private static int Base64Count(string text, int start, int end)
    {
        int count = 0;
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')
            {
                count++;
            }
        }

        return count;
    }

    // Bounded, so backtracking stays linear; source-generated, so a file of headers is cheap to enumerate.
    [GeneratedRegex(@"-----BEGIN[ A-Z0-9_\-]{0,64}PRIVATE KEY(?: BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyHeader();

    private sealed class Pattern(string kind, string[] prefilters, string regex, string? before, string? after)
    {
        public string Kind { get; } = kind;

        public string[] Prefilters { get; } = prefilters;

        public Regex Regex { get; } = new(regex, Options);

        public string? Before { get; } = before;

        public string? After { get; } = after;
    }
}
