namespace Sbir.Container.Secrets;

/// <summary>How a file is read, decided from its name (and, for compose, its top-level keys).</summary>
internal enum SecretFileKind
{
    /// <summary>Unknown: every line reader is applied.</summary>
    Generic,

    /// <summary>YAML: compose files, config/*.yaml.</summary>
    Yaml,

    /// <summary>A GitHub Actions workflow.</summary>
    Workflow,

    /// <summary>Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile.</summary>
    Dockerfile,

    /// <summary>*.sh and other shell scripts.</summary>
    Shell,

    /// <summary>
    /// A file of no format the scanner reads by structure (source code, notes, an MSBuild project): only the rules that
    /// need no structure apply (credentials in URLs, literal defaults, provider tokens, known secret values).
    /// </summary>
    Text,

    /// <summary>KEY=value files read with compose's .env grammar: .env, .env.*, *.env, and ini-style files
    /// (*.ini, *.cfg, *.conf, *.properties, *.toml, an AWS 'credentials' file), where KEY = value is the same shape.</summary>
    Dotenv,
}

internal static class SecretFileKinds
{
    private static readonly string[] ExampleSuffixes = [".example", ".sample", ".template", ".dist", ".tmpl"];

    /// <summary>The kind of <paramref name="path"/>; <paramref name="isExample"/> for *.example and its kind.</summary>
    public static SecretFileKind FromPath(string? path, string text, out bool isExample)
    {
        isExample = false;
        if (string.IsNullOrEmpty(path))
        {
            return SniffShell(text) ? SecretFileKind.Shell : SecretFileKind.Generic;
        }

        string normalized = path.Replace('\\', '/');
        string name = normalized[(normalized.LastIndexOf('/') + 1)..];
        foreach (string suffix in ExampleSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                isExample = true;
                name = name[..^suffix.Length];
                break;
            }
        }

        string lower = name.ToLowerInvariant();
        if (lower is "dockerfile" or "containerfile" || lower.StartsWith("dockerfile.", StringComparison.Ordinal)
            || lower.EndsWith(".dockerfile", StringComparison.Ordinal) || lower.StartsWith("containerfile.", StringComparison.Ordinal))
        {
            return SecretFileKind.Dockerfile;
        }

        if (lower == ".env" || lower.StartsWith(".env.", StringComparison.Ordinal) || lower.EndsWith(".env", StringComparison.Ordinal))
        {
            return SecretFileKind.Dotenv;
        }

        if (lower == "credentials" || lower.EndsWith(".ini", StringComparison.Ordinal) || lower.EndsWith(".cfg", StringComparison.Ordinal)
            || lower.EndsWith(".conf", StringComparison.Ordinal) || lower.EndsWith(".properties", StringComparison.Ordinal) || lower.EndsWith(".toml", StringComparison.Ordinal))
        {
            return SecretFileKind.Dotenv;
        }

        // JSON is YAML (1.2): one reader serves both, with positions.
        if (lower.EndsWith(".yml", StringComparison.Ordinal) || lower.EndsWith(".yaml", StringComparison.Ordinal) || lower.EndsWith(".json", StringComparison.Ordinal))
        {
            return normalized.Contains(".github/workflows/", StringComparison.OrdinalIgnoreCase) ? SecretFileKind.Workflow : SecretFileKind.Yaml;
        }

        if (lower.EndsWith(".sh", StringComparison.Ordinal) || lower.EndsWith(".bash", StringComparison.Ordinal)
            || lower.EndsWith(".ksh", StringComparison.Ordinal) || lower.EndsWith(".zsh", StringComparison.Ordinal) || SniffShell(text))
        {
            return SecretFileKind.Shell;
        }

        return SecretFileKind.Text;
    }

    /// <summary>True for a compose file: named docker-compose*/compose*, or with a top-level 'services:' key.</summary>
    public static bool IsCompose(string? path, string text)
    {
        if (!string.IsNullOrEmpty(path))
        {
            string name = System.IO.Path.GetFileName(path.Replace('\\', '/')).ToLowerInvariant();
            if (name.StartsWith("docker-compose", StringComparison.Ordinal) || name.StartsWith("compose", StringComparison.Ordinal))
            {
                return true;
            }
        }

        int i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "services:", 0, 9) == 0)
            {
                return true;
            }

            int newline = text.IndexOf('\n', i);
            if (newline < 0)
            {
                break;
            }

            i = newline + 1;
        }

        return false;
    }

    private static bool SniffShell(string text)
    {
        if (!text.StartsWith("#!", StringComparison.Ordinal))
        {
            return false;
        }

        int newline = text.IndexOf('\n');
        string first = newline < 0 ? text : text[..newline];
        return first.Length < 200 && (first.EndsWith("sh", StringComparison.Ordinal) || first.Contains("sh ", StringComparison.Ordinal)
            || first.Contains("/sh", StringComparison.Ordinal) || first.Contains("bash", StringComparison.Ordinal) || first.Contains("dash", StringComparison.Ordinal));
    }
}
