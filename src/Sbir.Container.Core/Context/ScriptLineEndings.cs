namespace Sbir.Container.Context;

/// <summary>
/// Scripts the image will run must have Unix line endings: with CRLF the first line reads "#!/bin/sh\r", the kernel
/// finds no interpreter of that name, and the container dies with "exec ... no such file or directory" (a Windows
/// checkout with core.autocrlf does this to every *.sh file).
/// </summary>
public static class ScriptLineEndings
{
    /// <summary>
    /// The first 1-based line of <paramref name="text"/> that ends in CRLF when the file is a script (named *.sh, *.bash,
    /// *.py with a #! line, or starting with "#!"); 0 otherwise.
    /// </summary>
    public static int FirstCrlfLine(string relativePath, string text)
    {
        if (!IsScript(relativePath, text))
        {
            return 0;
        }

        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
            {
                continue;
            }

            if (i > 0 && text[i - 1] == '\r')
            {
                return line;
            }

            line++;
        }

        return 0;
    }

    private static bool IsScript(string relativePath, string text)
        => text.StartsWith("#!", StringComparison.Ordinal)
            || relativePath.EndsWith(".sh", StringComparison.OrdinalIgnoreCase)
            || relativePath.EndsWith(".bash", StringComparison.OrdinalIgnoreCase);
}
