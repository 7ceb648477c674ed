namespace Sbir.Container.Engine;

/// <summary>Parses the leading "major.minor.patch" of version strings such as "20.10.24+dfsg1" or "4.3.1-dev".</summary>
public static class VersionText
{
    /// <summary>Returns the numeric version at the start of <paramref name="text"/>, or null.</summary>
    public static Version? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var digits = new System.Text.StringBuilder();
        foreach (char c in text.Trim().TrimStart('v'))
        {
            if (char.IsDigit(c) || c == '.')
            {
                digits.Append(c);
            }
            else
            {
                break;
            }
        }

        string[] parts = digits.ToString().Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        int Part(int i) => i < parts.Length && int.TryParse(parts[i], out int v) ? v : 0;
        return new Version(Part(0), Part(1), Part(2));
    }
}
