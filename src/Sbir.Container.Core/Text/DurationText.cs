using System.Globalization;
using System.Text.RegularExpressions;

namespace Sbir.Container.Text;

/// <summary>
/// Durations as compose and docker write them ("1m30s", "10s", "500ms", "2h"), plus bare numbers
/// as seconds, which MSBuild users tend to write.
/// </summary>
public static partial class DurationText
{
    /// <summary>Parses <paramref name="text"/>; returns false for anything else.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double bare))
        {
            if (bare < 0 || double.IsNaN(bare) || bare > TimeSpan.MaxValue.TotalSeconds)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(bare);
            return true;
        }

        Match m = GoDurationPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        double total = 0;
        foreach (Capture part in m.Groups["part"].Captures)
        {
            Match p = PartPattern().Match(part.Value);
            double value = double.Parse(p.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += p.Groups["u"].Value switch
            {
                "h" => value * 3600,
                "m" => value * 60,
                "s" => value,
                "ms" => value / 1000,
                "us" or "µs" => value / 1_000_000,
                _ => value / 1_000_000_000,
            };
        }

        if (total > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>Formats a duration the way compose writes it ("1m30s").</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{(int)duration.TotalMilliseconds}ms";
        }

        var parts = new List<string>();
        if (duration.TotalHours >= 1)
        {
            parts.Add($"{(int)duration.TotalHours}h");
        }

        if (duration.Minutes > 0)
        {
            parts.Add($"{duration.Minutes}m");
        }

        if (duration.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{duration.Seconds}s");
        }

        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDurationPattern();

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>ns|us|µs|ms|s|m|h)$")]
    private static partial Regex PartPattern();
}
