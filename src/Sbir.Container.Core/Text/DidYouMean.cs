namespace Sbir.Container.Text;

/// <summary>Suggests the closest known name for a misspelt one (optimal string alignment distance).</summary>
public static class DidYouMean
{
    /// <summary>The candidate closest to <paramref name="name"/>, or null when none is close enough to be a likely typo.</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // A third of the length, at least 2 edits: catches BOLT_URL vs URI-style slips, not unrelated names.
        int allowed = Math.Max(2, name.Length / 3);
        return best is not null && bestDistance > 0 && bestDistance <= allowed ? best : null;
    }

    /// <summary>" Did you mean X?" or an empty string.</summary>
    public static string Hint(string name, IEnumerable<string> candidates)
        => Suggest(name, candidates) is { } s ? $" Did you mean {s}?" : string.Empty;

    /// <summary>Edits (insert, delete, substitute, swap adjacent) between two strings.</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return Math.Max(a.Length, b.Length);
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
