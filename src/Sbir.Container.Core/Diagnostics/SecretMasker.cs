namespace Sbir.Container.Diagnostics;

/// <summary>
/// Replaces known secret values with a mask in any text before it reaches a log, SARIF or an
/// exception message. Values are registered by whoever learns them (the .env reader, the secret
/// scanner, the build-secret resolver); every log line of every task passes through one masker.
/// Thread-safe: docker output is streamed from reader threads.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret value is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Values shorter than this are not masked: masking "a" would garble every message. Such short
    /// secrets are reported as weak by the validation instead.</summary>
    public const int MinimumLength = 3;

    /// <summary>A line of a multi-line secret (a key, a certificate) is masked on its own from this length: tools print such values line by line.</summary>
    public const int MinimumLineLength = 8;

    /// <summary>The shortest base64 fragment masked: shorter ones would match ordinary words.</summary>
    private const int MinimumBase64Length = 6;

    private readonly object _gate = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private string[] _secrets = [];

    /// <summary>Number of registered values (each masked in all its forms).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _values.Count;
            }
        }
    }

    /// <summary>
    /// Registers a secret value to be masked from now on, in every form tools print it in: as is; percent-encoded
    /// (upper and lower case hex) and form-encoded ('+' for a space) as in URLs; JSON-escaped as docker and compose print
    /// it; base64-encoded at each of the three byte alignments, so that it is masked inside docker's
    /// base64("user:password") auth headers too; and, for a multi-line value, each of its lines.
    /// </summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        string trimmed = secret.Trim();
        if (trimmed.Length < MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Add(trimmed))
            {
                return;
            }

            var set = new HashSet<string>(_secrets, StringComparer.Ordinal);
            foreach (string form in Forms(trimmed))
            {
                set.Add(form);
            }

            // Longest first, so that a secret containing another is masked whole.
            Volatile.Write(ref _secrets, set.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray());
        }
    }

    /// <summary>Every spelling of <paramref name="value"/> that is masked.</summary>
    internal static IEnumerable<string> Forms(string value)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal) { value };
        string escaped = Uri.EscapeDataString(value);
        forms.Add(escaped);
        forms.Add(LowerHex(escaped));
        string formEncoded = System.Net.WebUtility.UrlEncode(value);
        forms.Add(formEncoded);
        forms.Add(LowerHex(formEncoded));

        // JSON, as docker and compose print it ("\"" escapes) and as System.Text.Json does ("\u0022").
        forms.Add(JsonEscape(value));
        // (JsonEncodedText escapes exactly as the serializer's default options do, without starting the serializer's
        // reflection metadata, which cost a no-op build about 10 ms.)
        forms.Add(System.Text.Json.JsonEncodedText.Encode(value).ToString());
        forms.UnionWith(Base64Forms(value));

        if (value.Contains('\n'))
        {
            foreach (string line in value.Split('\n'))
            {
                string l = line.Trim();
                if (l.Length >= MinimumLineLength)
                {
                    forms.Add(l);
                }
            }
        }

        return forms.Where(f => f.Length >= MinimumLength);
    }

    /// <summary>
    /// The parts of base64(prefix + value + suffix) that depend on the value alone, for prefixes of 0, 1 and 2 bytes:
    /// base64 encodes 3 bytes as 4 characters, so a value inside a longer encoded text (docker's "user:password" auth)
    /// shows up as one of these three fragments whatever surrounds it.
    /// </summary>
    private static IEnumerable<string> Base64Forms(string value)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(value);
        for (int shift = 0; shift < 3; shift++)
        {
            byte[] shifted = new byte[shift + bytes.Length];
            bytes.CopyTo(shifted, shift);
            string encoded = Convert.ToBase64String(shifted);

            // Character i encodes bits [6i, 6i + 6): keep those inside the value's bits [8 shift, 8 (shift + length)).
            int first = (shift * 8 + 5) / 6;
            int last = (shift + bytes.Length) * 8 / 6;
            if (last - first >= MinimumBase64Length)
            {
                yield return encoded[first..last];
            }

            // Standing alone (shift 0) the value is also printed with its padding.
            if (shift == 0 && encoded.Length >= MinimumBase64Length)
            {
                yield return encoded;
            }
        }
    }

    private static string LowerHex(string escaped)
        => System.Text.RegularExpressions.Regex.Replace(escaped, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());

    /// <summary>Returns <paramref name="text"/> with every registered value replaced by <see cref="Mask"/>.</summary>
    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        string[] secrets = Volatile.Read(ref _secrets);
        foreach (string secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static string JsonEscape(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Masks a value for display when it is known to be secret: the first character is never shown,
    /// only the length class, so messages stay useful ("***, 12 characters").
    /// </summary>
    public static string Describe(string? value)
        => string.IsNullOrEmpty(value) ? "(empty)" : $"{Mask} ({value.Length} characters)";
}
