using System.Text;

namespace Sbir.Container.Dockerfile;

/// <summary>
/// Expands build arguments in FROM lines as docker does (<c>$NAME</c>, <c>${NAME}</c>,
/// <c>${NAME:-default}</c>, <c>${NAME:+alt}</c>), from the global ARG defaults overridden by the
/// build arguments given to the build.
/// </summary>
public static class DockerfileArgs
{
    /// <summary>
    /// The values of the global ARGs (before the first FROM) as docker computes them: in order, each
    /// default expanded with the ARGs before it (<c>ARG IMAGE=python:${PYTHON_VERSION}-slim</c>), a
    /// build argument replacing the default of an ARG it names; several names on one ARG line are read.
    /// Build arguments for names no global ARG declares are ignored, as docker ignores them in FROM.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GlobalValues(DockerfileDocument document, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            given[name] = value;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in document.GlobalArgs)
        {
            foreach (var assignment in Rules.InstructionText.Assignments(arg, document.EscapeCharacter))
            {
                if (given.TryGetValue(assignment.Name, out string? value))
                {
                    values[assignment.Name] = value;
                }
                else if (assignment.Value is not null)
                {
                    values[assignment.Name] = Expand(assignment.Value, values);
                }
            }
        }

        return values;
    }

    /// <summary>
    /// True when <paramref name="stage"/>'s FROM takes its image from the global ARG
    /// <paramref name="argument"/>, so that a build argument of that name changes it. False when the
    /// ARG is not declared before the first FROM (docker then ignores the build argument in FROM) or
    /// the FROM line does not use it.
    /// </summary>
    public static bool FromUses(DockerfileDocument document, DockerfileStage stage, string argument)
    {
        const string Marker = "\u0001sbir-argument\u0001";
        var values = GlobalValues(document, [new(argument, Marker)]);
        return values.ContainsKey(argument) && Expand(stage.BaseImage, values).Contains(Marker, StringComparison.Ordinal);
    }

    /// <summary>Expands <paramref name="text"/> with <paramref name="values"/>; unknown names expand to empty.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> values)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }

            if (text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    sb.Append(text, i, text.Length - i);
                    break;
                }

                string inner = text[(i + 2)..close];
                sb.Append(ExpandBraced(inner, values));
                i = close;
                continue;
            }

            int j = i + 1;
            while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
            {
                j++;
            }

            if (j == i + 1)
            {
                sb.Append(c);
                continue;
            }

            sb.Append(values.TryGetValue(text[(i + 1)..j], out string? v) ? v : string.Empty);
            i = j - 1;
        }

        return sb.ToString();
    }

    private static string ExpandBraced(string inner, IReadOnlyDictionary<string, string> values)
    {
        int op = inner.IndexOf(':');
        if (op > 0 && op + 1 < inner.Length && inner[op + 1] is '-' or '+')
        {
            string name = inner[..op];
            string word = inner[(op + 2)..];
            bool set = values.TryGetValue(name, out string? v) && v.Length > 0;
            return inner[op + 1] == '-' ? (set ? v! : Expand(word, values)) : (set ? Expand(word, values) : string.Empty);
        }

        return values.TryGetValue(inner, out string? value) ? value : string.Empty;
    }
}
