using System.Text;
using System.Text.Json;

namespace Sbir.Container.Engine;

/// <summary>
/// The Docker engine's API socket, for the one question a no-op DockerBuild asks: which image IDs do these references
/// have? Asking the socket takes a millisecond or two; starting the docker CLI to ask takes 60 to 90 ms, most of a
/// no-op build's cost above MSBuild's own. The answer only ever confirms: a caller skips docker when the socket's IDs
/// are exactly the ones it recorded (images are content-addressed, so equal IDs are the same images wherever asked),
/// and asks the CLI, which stays the authority, about anything else.
/// <para>
/// Used only where the CLI would talk to the same engine for certain, following the CLI's order of precedence
/// (docs.docker.com, "docker context use": DOCKER_HOST, then DOCKER_CONTEXT, then the current context of
/// config.json, then the default): the CLI is Docker's own (named docker), DOCKER_HOST is unset or a unix:// socket, and
/// no context other than "default" is chosen. Anything else (tcp, ssh, a named context, Podman) is left to the CLI.
/// </para>
/// </summary>
public sealed class EngineSocket
{
    /// <summary>The socket the docker CLI uses when nothing else is configured.</summary>
    public const string DefaultPath = "/var/run/docker.sock";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Creates a client of the API socket at <paramref name="path"/>.</summary>
    public EngineSocket(string path) => Path = path;

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>
    /// The socket the CLI at <paramref name="cliPath"/> would use, or null when that cannot be known without the CLI
    /// (another CLI, a remote or named endpoint, no socket file, a system other than Linux).
    /// </summary>
    public static EngineSocket? For(string cliPath, EnvironmentSnapshot environment)
    {
        if (!OperatingSystem.IsLinux()
            || !string.Equals(System.IO.Path.GetFileName(cliPath), "docker", StringComparison.Ordinal))
        {
            return null;
        }

        string? path;
        if (environment.GetNonEmpty("DOCKER_HOST") is { } host)
        {
            path = host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;
        }
        else if (environment.GetNonEmpty("DOCKER_CONTEXT") is { } context)
        {
            path = context == "default" ? DefaultPath : null;
        }
        else
        {
            path = CurrentContext(environment) is null or "default" ? DefaultPath : null;
        }

        return path is { Length: > 0 } && File.Exists(path) ? new EngineSocket(path) : null;
    }

    /// <summary>
    /// The ID of each reference (null where the engine has no such image), or null when the socket did not give a
    /// clear answer (not listening, an error status, a body that is not the engine's).
    /// </summary>
    public IReadOnlyList<string?>? ImageIds(IReadOnlyList<string> references, CancellationToken cancellationToken = default)
    {
        var ids = new List<string?>(references.Count);
        foreach (string reference in references)
        {
            var answer = Get($"/images/{EscapeReference(reference)}/json", cancellationToken);
            if (answer is null)
            {
                return null;
            }

            switch (answer.Value.Status)
            {
                case 200 when IdOf(answer.Value.Body) is { } id:
                    ids.Add(id);
                    break;
                case 404:
                    ids.Add(null);
                    break;
                default:
                    return null;
            }
        }

        return ids;
    }

    /// <summary>A reference as a path segment of the API: letters, digits and '/', ':', '@', '.', '_', '-' as they are; anything else escaped.</summary>
    internal static string EscapeReference(string reference)
    {
        var text = new StringBuilder(reference.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(reference))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '/' or ':' or '@' or '.' or '_' or '-')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>The "Id" of an image-inspect body, or null when the body is not one.</summary>
    internal static string? IdOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Id", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 } value ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// One HTTP/1.0 GET (the engine then neither chunks nor keeps the connection: the body ends where the stream does);
    /// null on any transport failure or a response that is not HTTP. Blocking calls with timeouts: a no-op build waits
    /// for the answer anyway, and the asynchronous socket machinery costs more to start than the question takes.
    /// </summary>
    private (int Status, string Body)? Get(string target, CancellationToken cancellationToken)
    {
        byte[]? response = UnixStreamExchange.Send(Path, $"GET {target} HTTP/1.0\r\nHost: docker\r\nUser-Agent: Sbir.Container.Sdk\r\n\r\n", Timeout, 16 * 1024 * 1024, cancellationToken);
        return response is null ? null : ParseResponse(Encoding.UTF8.GetString(response));
    }

    internal static (int Status, string Body)? ParseResponse(string response)
    {
        int headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        int lineEnd = response.IndexOf("\r\n", StringComparison.Ordinal);
        if (headerEnd < 0 || lineEnd < 0 || !response.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        string[] statusLine = response[..lineEnd].Split(' ', 3);
        return statusLine.Length >= 2 && int.TryParse(statusLine[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int status)
            ? (status, response[(headerEnd + 4)..])
            : null;
    }

    /// <summary>The current context of the CLI's config.json ($DOCKER_CONFIG, else ~/.docker), or null when it names none.</summary>
    private static string? CurrentContext(EnvironmentSnapshot environment)
    {
        var content = IO.SafeFile.Read(environment.DockerConfigFile);
        if (!content.Succeeded || !content.Text.Contains("currentContext", StringComparison.Ordinal))
        {
            return content.Kind == IO.FileKind.Missing || content.Succeeded ? null : "unknown";
        }

        try
        {
            using var document = JsonDocument.Parse(content.Text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("currentContext", out var current)
                && current.ValueKind == JsonValueKind.String
                && current.GetString() is { Length: > 0 } name ? name : null;
        }
        catch (JsonException)
        {
            // The CLI refuses a config.json it cannot parse; so does this shortcut.
            return "unknown";
        }
    }
}
