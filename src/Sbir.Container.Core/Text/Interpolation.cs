using System.Text;

namespace Sbir.Container.Text;

/// <summary>
/// A variable reference in a compose-style template: <c>$NAME</c>, <c>${NAME}</c>, or
/// <c>${NAME&lt;op&gt;argument}</c> with op one of <c>:-</c> <c>-</c> <c>:?</c> <c>?</c> <c>:+</c> <c>+</c>.
/// </summary>
/// <param name="Name">The variable name.</param>
/// <param name="Operator">The operator, or null for a plain reference.</param>
/// <param name="Argument">The default, message or replacement text (unexpanded), or null.</param>
/// <param name="Offset">0-based offset of the '$' in the template.</param>
/// <param name="Length">Length of the whole reference.</param>
public sealed record VariableReference(string Name, string? Operator, string? Argument, int Offset, int Length)
{
    /// <summary>True for <c>:-</c> and <c>-</c>: the argument is a default value.</summary>
    public bool HasDefault => Operator is ":-" or "-";

    /// <summary>True for <c>:?</c> and <c>?</c>: the variable is required.</summary>
    public bool IsRequired => Operator is ":?" or "?";
}

/// <summary>Why a template could not be expanded.</summary>
/// <param name="Variable">The variable concerned, or null for a syntax error.</param>
/// <param name="Message">What went wrong, in compose's words.</param>
/// <param name="Offset">0-based offset in the template.</param>
public sealed record InterpolationError(string? Variable, string Message, int Offset);

/// <summary>
/// Compose's variable interpolation, shared by the .env reader and the compose checks:
/// <c>$$</c> is a literal <c>$</c>; <c>$NAME</c> and <c>${NAME}</c> expand (unset expands to empty);
/// <c>${NAME:-default}</c> / <c>${NAME-default}</c> use the default when unset-or-empty / unset;
/// <c>${NAME:?message}</c> / <c>${NAME?message}</c> fail when unset-or-empty / unset;
/// <c>${NAME:+alt}</c> / <c>${NAME+alt}</c> give alt when set-and-non-empty / set. Defaults and
/// alternatives are themselves expanded, and may contain nested references.
/// </summary>
public static class Interpolation
{
    private static readonly string[] Operators = [":-", ":?", ":+", "-", "?", "+"];

    /// <summary>Expands <paramref name="template"/>; on failure returns the text so far and sets <paramref name="error"/>.</summary>
    public static string Substitute(string template, Func<string, string?> lookup, out InterpolationError? error)
    {
        error = null;
        var sb = new StringBuilder(template.Length);
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }

            char next = template[i + 1];
            if (next == '$')
            {
                sb.Append('$');
                i += 2;
                continue;
            }

            if (next == '{')
            {
                if (!TryReadBraced(template, i, out var reference, out int end))
                {
                    // The position, never the text: the value may be a secret.
                    error = new InterpolationError(null, $"the '${{' at character {i + 1} has no valid variable name or no closing '}}'", i);
                    return sb.ToString();
                }

                string? value = lookup(reference.Name);
                string? expanded = Apply(reference, value, lookup, ref error);
                if (error is not null)
                {
                    return sb.ToString();
                }

                sb.Append(expanded);
                i = end;
                continue;
            }

            if (IsNameStart(next))
            {
                int j = i + 1;
                while (j < template.Length && IsNameChar(template[j]))
                {
                    j++;
                }

                sb.Append(lookup(template[(i + 1)..j]) ?? string.Empty);
                i = j;
                continue;
            }

            // A '$' followed by anything else is literal, as compose leaves it.
            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }

    /// <summary>Every variable reference in <paramref name="template"/>, outermost first; nested ones in arguments are included.</summary>
    public static IReadOnlyList<VariableReference> References(string template)
    {
        var found = new List<VariableReference>();
        Collect(template, 0, found, 0);
        return found;
    }

    /// <summary>True when the text contains any reference (so it is not a literal).</summary>
    public static bool HasReferences(string template) => References(template).Count > 0;

    private static void Collect(string template, int baseOffset, List<VariableReference> found, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        int i = 0;
        while (i < template.Length)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                i++;
                continue;
            }

            char next = template[i + 1];
            if (next == '$')
            {
                i += 2;
                continue;
            }

            if (next == '{')
            {
                if (TryReadBraced(template, i, out var reference, out int end))
                {
                    found.Add(reference with { Offset = reference.Offset + baseOffset });
                    if (reference.Argument is { } argument)
                    {
                        int argumentOffset = i + 2 + reference.Name.Length + (reference.Operator?.Length ?? 0);
                        Collect(argument, baseOffset + argumentOffset, found, depth + 1);
                    }

                    i = end;
                    continue;
                }

                i += 2;
                continue;
            }

            if (IsNameStart(next))
            {
                int j = i + 1;
                while (j < template.Length && IsNameChar(template[j]))
                {
                    j++;
                }

                found.Add(new VariableReference(template[(i + 1)..j], null, null, baseOffset + i, j - i));
                i = j;
                continue;
            }

            i++;
        }
    }

    private static string? Apply(VariableReference reference, string? value, Func<string, string?> lookup, ref InterpolationError? error)
    {
        bool set = value is not null;
        bool nonEmpty = !string.IsNullOrEmpty(value);
        string Expand(string? text, ref InterpolationError? err)
        {
            string result = Substitute(text ?? string.Empty, lookup, out var inner);
            err ??= inner;
            return result;
        }

        switch (reference.Operator)
        {
            case null:
                return value ?? string.Empty;
            case ":-":
                return nonEmpty ? value : Expand(reference.Argument, ref error);
            case "-":
                return set ? value : Expand(reference.Argument, ref error);
            case ":+":
                return nonEmpty ? Expand(reference.Argument, ref error) : string.Empty;
            case "+":
                return set ? Expand(reference.Argument, ref error) : string.Empty;
            case ":?":
                if (!nonEmpty)
                {
                    error = new InterpolationError(reference.Name, $"required variable {reference.Name} is missing a value: {Expand(reference.Argument, ref error)}", reference.Offset);
                }

                return value;
            case "?":
                if (!set)
                {
                    error = new InterpolationError(reference.Name, $"required variable {reference.Name} is missing a value: {Expand(reference.Argument, ref error)}", reference.Offset);
                }

                return value;
            default:
                return value;
        }
    }

    /// <summary>Reads <c>${...}</c> starting at <paramref name="start"/> (the '$'), honouring nested braces.</summary>
    private static bool TryReadBraced(string template, int start, out VariableReference reference, out int end)
    {
        reference = null!;
        end = start;
        int nameStart = start + 2;
        int j = nameStart;
        if (j >= template.Length || !IsNameStart(template[j]))
        {
            return false;
        }

        while (j < template.Length && IsNameChar(template[j]))
        {
            j++;
        }

        string name = template[nameStart..j];
        if (j < template.Length && template[j] == '}')
        {
            reference = new VariableReference(name, null, null, start, j + 1 - start);
            end = j + 1;
            return true;
        }

        string? op = Operators.FirstOrDefault(o => string.CompareOrdinal(template, j, o, 0, o.Length) == 0);
        if (op is null)
        {
            return false;
        }

        int argumentStart = j + op.Length;
        int depth = 1;
        int k = argumentStart;
        while (k < template.Length)
        {
            if (template[k] == '$' && k + 1 < template.Length && template[k + 1] == '{')
            {
                depth++;
                k += 2;
                continue;
            }

            if (template[k] == '}')
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }

            k++;
        }

        if (depth != 0)
        {
            return false;
        }

        reference = new VariableReference(name, op, template[argumentStart..k], start, k + 1 - start);
        end = k + 1;
        return true;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);
}
