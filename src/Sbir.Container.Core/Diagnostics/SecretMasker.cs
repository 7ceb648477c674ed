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

    private readonly object _gate = new();
    private string[] _secrets = [];

    /// <summary>Number of registered values.</summary>
    public int Count => Volatile.Read(ref _secrets).Length;

    /// <summary>Registers a secret value (and its common encodings) to be masked from now on.</summary>
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
            var set = new HashSet<string>(_secrets, StringComparer.Ordinal) { trimmed };
            // The value as it may appear in URLs and JSON as well.
            string escaped = Uri.EscapeDataString(trimmed);
            if (escaped != trimmed)
            {
                set.Add(escaped);
            }

            // JSON, as docker and compose print it ("\"" escapes) and as System.Text.Json does ("\u0022").
            foreach (string json in new[] { JsonEscape(trimmed), System.Text.Json.JsonSerializer.Serialize(trimmed)[1..^1] })
            {
                if (json != trimmed)
                {
                    set.Add(json);
                }
            }

            // Longest first, so that a secret containing another is masked whole.
            Volatile.Write(ref _secrets, set.OrderByDescending(s => s.Length).ToArray());
        }
    }

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
