using System.Text;
using System.Text.Json;
using Sbir.Container.Engine;

namespace Sbir.Container.Registry;

/// <summary>A user name and secret for a registry, read from the docker CLI's own store.</summary>
/// <param name="Username">The user (or "&lt;token&gt;" for identity tokens).</param>
/// <param name="Secret">The password or token; never logged (the caller registers it with the masker).</param>
public sealed record RegistryCredential(string Username, string Secret);

/// <summary>
/// Reads credentials the way the docker CLI does, so that 'docker login' (or a credential helper) is
/// the only place a password is ever given: $DOCKER_CONFIG/config.json (default ~/.docker) with its
/// auths, credsStore and credHelpers; helpers are called as 'docker-credential-NAME get'.
/// </summary>
public sealed class RegistryCredentials
{
    private readonly IProcessRunner _runner;
    private readonly EnvironmentSnapshot _environment;

    /// <summary>Creates a reader.</summary>
    public RegistryCredentials(IProcessRunner runner, EnvironmentSnapshot environment)
    {
        _runner = runner;
        _environment = environment;
    }

    /// <summary>The docker config file in use.</summary>
    public string ConfigPath => _environment.DockerConfigFile;

    /// <summary>The credential for <paramref name="host"/> (host[:port]), or null when none is stored.</summary>
    public async Task<RegistryCredential?> GetAsync(string host, CancellationToken cancellationToken = default)
    {
        // docker's own config file: a FIFO or device there would hang the push as it would hang docker login.
        var content = IO.SafeFile.Read(ConfigPath);
        if (!content.Succeeded)
        {
            return null;
        }

        JsonDocument config;
        try
        {
            config = JsonDocument.Parse(content.Text);
        }
        catch (JsonException)
        {
            return null;
        }

        using (config)
        {
            var root = config.RootElement;
            string[] keys = HostKeys(host).Select(Normalize).ToArray();
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
            {
                foreach (string key in keys)
                {
                    if (helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } name)
                    {
                        return await FromHelperAsync(name, key, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject())
                {
                    if (keys.Contains(Normalize(entry.Name), StringComparer.OrdinalIgnoreCase) && Decode(entry.Value) is { } inline)
                    {
                        return inline;
                    }
                }
            }

            if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
            {
                foreach (string key in keys)
                {
                    if (await FromHelperAsync(storeName, key, cancellationToken).ConfigureAwait(false) is { } stored)
                    {
                        return stored;
                    }
                }
            }
        }

        return null;
    }

    private async Task<RegistryCredential?> FromHelperAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        string? program = ExecutableLocator.Find("docker-credential-" + helper, _environment.Path);
        if (program is null)
        {
            return null;
        }

        var result = await _runner.RunAsync(new ProcessSpec { FileName = program, Arguments = ["get"], StandardInput = serverUrl, Timeout = TimeSpan.FromSeconds(30), CaptureLines = 100 }, null, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(result.Stdout);
            string user = json.RootElement.GetProperty("Username").GetString() ?? string.Empty;
            string secret = json.RootElement.GetProperty("Secret").GetString() ?? string.Empty;
            return secret.Length == 0 ? null : new RegistryCredential(user, secret);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static RegistryCredential? Decode(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (entry.TryGetProperty("identitytoken", out var token) && token.GetString() is { Length: > 0 } identity)
        {
            return new RegistryCredential("<token>", identity);
        }

        if (!entry.TryGetProperty("auth", out var auth) || auth.GetString() is not { Length: > 0 } encoded)
        {
            return null;
        }

        try
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            int colon = pair.IndexOf(':');
            return colon <= 0 ? null : new RegistryCredential(pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The keys docker files a registry under (Docker Hub's historic URL included).</summary>
    private static string[] HostKeys(string host)
        => host is "docker.io" or "registry-1.docker.io" or "index.docker.io"
            ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
            : [host, "https://" + host, "http://" + host];

    private static string Normalize(string key) => key.TrimEnd('/');
}
