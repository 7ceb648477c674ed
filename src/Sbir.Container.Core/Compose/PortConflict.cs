using System.Text.RegularExpressions;
using Sbir.Container.Engine;

namespace Sbir.Container.Compose;

/// <summary>
/// Recognises a host port that compose could not publish because something else holds it, in the
/// words of the engine's two paths: "Bind for 0.0.0.0:7474 failed: port is already allocated" (another
/// container) and "listen tcp4 0.0.0.0:7474: bind: address already in use" (another process). Compose
/// buries that line among its progress output; naming the port is what the user needs.
/// </summary>
public static partial class PortConflict
{
    /// <summary>The first host port that a compose run's output (either stream) says is taken, or null.</summary>
    public static int? Find(ProcessResult result) => Find(result.StandardError.Concat(result.StandardOutput));

    /// <summary>The first host port that the output says is taken, or null.</summary>
    public static int? Find(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            var m = Pattern().Match(line);
            if (m.Success && int.TryParse(m.Groups["port"].Value, out int port))
            {
                return port;
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:Bind for |listen tcp[46]? )\[?[0-9a-fA-F.:]*\]?:(?<port>\d{1,5})(?: failed: port is already allocated|: bind: address already in use)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();
}
