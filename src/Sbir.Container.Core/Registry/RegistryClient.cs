using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sbir.Container.Registry;

/// <summary>Why a registry call failed.</summary>
public enum RegistryFailureKind
{
    /// <summary>No answer (DNS, refused, timeout, TLS).</summary>
    Unreachable,

    /// <summary>401/403 after trying the stored credentials.</summary>
    Unauthorized,

    /// <summary>404: no such manifest.</summary>
    NotFound,

    /// <summary>The registry speaks plain HTTP.</summary>
    Insecure,

    /// <summary>Any other unexpected answer.</summary>
    Protocol,
}

/// <summary>A failed registry call.</summary>
public sealed record RegistryFailure(RegistryFailureKind Kind, string Message);

/// <summary>A manifest as stored: exact bytes (so its digest stays the same), media type and digest.</summary>
public sealed record ManifestBlob(byte[] Content, string MediaType, string Digest);

/// <summary>
/// A minimal client of the registry HTTP API v2 (the Docker/OCI distribution API) for what promotion
/// needs: read a manifest, and put the same bytes under another tag. No layer is ever downloaded.
/// Handles Basic and Bearer (token) authentication with the credential from the docker CLI's store.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly HttpClient _http;
    private readonly RegistryCredential? _credential;
    private readonly string _baseUri;
    private AuthenticationHeaderValue? _authorization;

    /// <summary>Creates a client for <paramref name="host"/> (host[:port]); plain HTTP when <paramref name="insecure"/>.</summary>
    public RegistryClient(string host, RegistryCredential? credential, bool insecure, HttpMessageHandler? handler = null)
    {
        Host = host;
        _credential = credential;
        _baseUri = (insecure ? "http://" : "https://") + ApiHost(host) + "/v2/";
        _http = handler is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(60) } : new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The registry host.</summary>
    public string Host { get; }

    /// <summary>True for hosts docker treats as insecure by default (loopback).</summary>
    public static bool IsLoopback(string host)
    {
        string name = host.Split(':')[0];
        return name is "localhost" or "::1" || name.StartsWith("127.", StringComparison.Ordinal);
    }

    /// <summary>Reads the manifest of <paramref name="repository"/> at <paramref name="reference"/> (a tag or a digest).</summary>
    public async Task<(ManifestBlob? Manifest, RegistryFailure? Failure)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var (response, failure) = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{_baseUri}{repository}/manifests/{reference}");
            foreach (string type in ManifestTypes)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, repository, "pull", cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return (null, failure);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (null, new RegistryFailure(RegistryFailureKind.NotFound, $"{repository}:{reference} not found"));
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, new RegistryFailure(RegistryFailureKind.Protocol, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
            }

            byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            string mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeOf(content);
            string digest = "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
            return (new ManifestBlob(content, mediaType, digest), null);
        }
    }

    /// <summary>Stores <paramref name="manifest"/> (unchanged bytes) under <paramref name="tag"/>; returns the digest the registry reports.</summary>
    public async Task<(string? Digest, RegistryFailure? Failure)> PutManifestAsync(string repository, string tag, ManifestBlob manifest, CancellationToken cancellationToken = default)
    {
        var (response, failure) = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"{_baseUri}{repository}/manifests/{tag}") { Content = new ByteArrayContent(manifest.Content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, repository, "pull,push", cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return (null, failure);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return (null, new RegistryFailure(RegistryFailureKind.Protocol, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))}"));
            }

            string digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : manifest.Digest;
            return (digest, null);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<(HttpResponseMessage? Response, RegistryFailure? Failure)> SendAsync(Func<HttpRequestMessage> create, string repository, string actions, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = _authorization;
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                bool plainHttp = ex.InnerException?.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase) == true
                    || ex.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase);
                return (null, new RegistryFailure(plainHttp ? RegistryFailureKind.Insecure : RegistryFailureKind.Unreachable, ex.InnerException?.Message ?? ex.Message));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, new RegistryFailure(RegistryFailureKind.Unreachable, "no answer within 60 s"));
            }

            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return (response, null);
            }

            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            if (attempt > 0 || challenge is null || _credential is null && !challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                string why = _credential is null ? "no credentials are stored for it" : "the stored credentials were refused";
                return (null, new RegistryFailure(RegistryFailureKind.Unauthorized, why));
            }

            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credential!.Username}:{_credential.Secret}")));
                continue;
            }

            var (token, tokenFailure) = await TokenAsync(challenge.Parameter ?? string.Empty, repository, actions, cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return (null, tokenFailure);
            }

            _authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return (null, new RegistryFailure(RegistryFailureKind.Unauthorized, "the stored credentials were refused"));
    }

    /// <summary>The token flow: ask the realm of a Bearer challenge for a token with the stored credential.</summary>
    private async Task<(string? Token, RegistryFailure? Failure)> TokenAsync(string challenge, string repository, string actions, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups["k"].Value, m => m.Groups["v"].Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out string? realm))
        {
            return (null, new RegistryFailure(RegistryFailureKind.Protocol, "a Bearer challenge without a realm"));
        }

        string scope = parameters.TryGetValue("scope", out string? s) ? s : $"repository:{repository}:{actions}";
        string url = $"{realm}?scope={Uri.EscapeDataString(scope)}" + (parameters.TryGetValue("service", out string? service) ? "&service=" + Uri.EscapeDataString(service) : string.Empty);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credential.Username}:{_credential.Secret}")));
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, new RegistryFailure(RegistryFailureKind.Unauthorized, $"the token service refused the stored credentials (HTTP {(int)response.StatusCode})"));
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            string? token = json.RootElement.TryGetProperty("token", out var t) ? t.GetString() : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
            return token is null ? (null, new RegistryFailure(RegistryFailureKind.Protocol, "the token service answered without a token")) : (token, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return (null, new RegistryFailure(RegistryFailureKind.Unreachable, ex.Message));
        }
    }

    private static string MediaTypeOf(byte[] content)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            return json.RootElement.TryGetProperty("mediaType", out var m) && m.GetString() is { } type ? type : "application/vnd.oci.image.manifest.v1+json";
        }
        catch (JsonException)
        {
            return "application/vnd.oci.image.manifest.v1+json";
        }
    }

    /// <summary>Docker Hub's images live at registry-1.docker.io.</summary>
    private static string ApiHost(string host) => host is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : host;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"(?<k>\w+)=""(?<v>[^""]*)""")]
    private static partial Regex ChallengeParameter();
}
