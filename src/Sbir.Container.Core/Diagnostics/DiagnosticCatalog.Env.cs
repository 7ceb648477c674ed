namespace Sbir.Container.Diagnostics;

// SBC10xx: reading .env files. The environment contract rules (SBC11xx) are added beside them.
public static partial class DiagnosticCatalog
{
    /// <summary>A quoted value that never closes.</summary>
    public static readonly DiagnosticDescriptor EnvUnterminatedQuote = new(
        "SBC1001", "Unterminated quoted value", DiagnosticSeverity.Error,
        "The value of {0} opens a {1} quote that is never closed, so the rest of the file would be read as part of it",
        "Close the quote at the end of the value; inside double quotes write a literal \" as \\\", inside single quotes write ' as \\'.");

    /// <summary>A character that compose does not accept in a variable name.</summary>
    public static readonly DiagnosticDescriptor EnvInvalidName = new(
        "SBC1002", "Invalid variable name", DiagnosticSeverity.Error,
        "Unexpected character '{0}' in a variable name{1}; docker compose stops reading the file here",
        "Write one NAME=value per line, the name of letters, digits, '_', '.', '-', '[' and ']'; a value that spans lines goes in double quotes.");

    /// <summary>A name with a space in it.</summary>
    public static readonly DiagnosticDescriptor EnvNameWithSpace = new(
        "SBC1003", "Variable name contains a space", DiagnosticSeverity.Error,
        "The variable name{0} is followed by a space{1}, so compose reads the line up to '=' as one name",
        "Write NAME=value, with no space in NAME (join words with '_').");

    /// <summary>An interpolation that fails (<c>${VAR:?message}</c> unset) or does not parse.</summary>
    public static readonly DiagnosticDescriptor EnvInterpolationFailed = new(
        "SBC1004", "Interpolation failed", DiagnosticSeverity.Error,
        "The value of {0} cannot be expanded: {1}",
        "Set the variable it needs (earlier in the file or in the environment), write a literal '$' as '$$', or quote the value with single quotes.");

    /// <summary>Text after a closing quote, which compose would read as a new variable.</summary>
    public static readonly DiagnosticDescriptor EnvTextAfterQuote = new(
        "SBC1005", "Text after a quoted value", DiagnosticSeverity.Warning,
        "After the quoted value of {0} the line goes on with {1} more characters, which docker compose reads as another variable",
        "Put the whole value inside the quotes, or start the rest with ' #' to make it a comment.");

    /// <summary>A .env file that is not UTF-8 text.</summary>
    public static readonly DiagnosticDescriptor EnvNotText = new(
        "SBC1006", ".env file is not text", DiagnosticSeverity.Error,
        "The file is not UTF-8 text ({0})",
        "Save it as UTF-8; a .env file holds KEY=value lines.");

    /// <summary>
    /// A line with no '=' that is not a variable name: compose reads it as a variable taken from the host, but it is
    /// most often a value pasted on its own line, maybe a secret, so its text is never shown. Arguments: line, length.
    /// </summary>
    public static readonly DiagnosticDescriptor EnvLineWithoutValue = new(
        "SBC1007", "Line without '='", DiagnosticSeverity.Error,
        "Line {0} holds {1} characters and no '=', and is not a variable name; compose would read it as a variable to take from the host environment, and its text is not shown here in case it is a pasted secret",
        "Write it as NAME=value, or delete the line; if it is a secret, keep it only as the value of its variable.");
}
