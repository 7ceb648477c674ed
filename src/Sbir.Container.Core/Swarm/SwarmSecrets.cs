using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;

namespace Sbir.Container.Swarm;

/// <summary>A swarm secret the SDK created for a stack, as its labels describe it (never its value: swarm gives that only to tasks).</summary>
/// <param name="Id">The secret's ID.</param>
/// <param name="Name">Its name, STACK_KEY_vN.</param>
/// <param name="Key">The stack file key it serves.</param>
/// <param name="Version">N.</param>
/// <param name="Salt">The salt of its fingerprint (hex).</param>
/// <param name="Fingerprint">PBKDF2 of its value with the salt (hex).</param>
public sealed record SwarmSecret(string Id, string Name, string Key, int Version, string Salt, string Fingerprint);

/// <summary>
/// The stack's secrets in the swarm. Swarm secrets cannot change; a new value gets a new secret, named
/// STACK_KEY_vN with N one higher, and the services are updated to it (a rolling update). To know
/// whether a value changed without keeping it anywhere, each secret carries a label with a salted,
/// slow hash of its value (PBKDF2-SHA256, 100,000 rounds): comparing the hash of the new value with
/// that salt tells whether the value is the same. Values reach docker only on standard input
/// ('docker secret create NAME -'), never on a command line or in a log.
/// </summary>
public sealed class SwarmSecrets
{
    /// <summary>Label: the stack a secret belongs to. Not com.docker.stack.namespace, which 'docker stack rm' would remove with the stack.</summary>
    public const string StackLabel = "sbir.container.stack";

    /// <summary>Label: the stack file key a secret serves.</summary>
    public const string KeyLabel = "sbir.container.secret";

    /// <summary>Label: the salted hash of the value.</summary>
    public const string FingerprintLabel = "sbir.container.fingerprint";

    /// <summary>Label: the salt of that hash.</summary>
    public const string SaltLabel = "sbir.container.salt";

    /// <summary>Versions of each secret kept after a deploy: the one in use, and the one a rollback returns to.</summary>
    public const int VersionsKept = 2;

    private const int Rounds = 100_000;
    private const int MaxNameLength = 64;

    private readonly DockerCli _docker;

    /// <summary>Creates the secret store of a swarm reached through <paramref name="docker"/>.</summary>
    public SwarmSecrets(DockerCli docker)
    {
        _docker = docker;
    }

    /// <summary>The hex PBKDF2-SHA256 hash of <paramref name="value"/> with <paramref name="saltHex"/>.</summary>
    public static string FingerprintOf(string value, string saltHex)
        => Convert.ToHexString(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(value), Convert.FromHexString(saltHex), Rounds, HashAlgorithmName.SHA256, 32)).ToLowerInvariant();

    /// <summary>The swarm name of version <paramref name="version"/> of <paramref name="key"/> (at most 64 characters, as swarm requires).</summary>
    public static string NameOf(string stack, string key, int version)
    {
        string suffix = "_v" + version.ToString(CultureInfo.InvariantCulture);
        string name = $"{stack}_{key}";
        if (name.Length + suffix.Length > MaxNameLength)
        {
            string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
            name = name[..(MaxNameLength - suffix.Length - 9)] + "-" + hash;
        }

        return name + suffix;
    }

    /// <summary>
    /// For each of <paramref name="secrets"/>: the existing version whose value is the same, or a new
    /// version created now. Returns the swarm names by key, and what was created (to report), or a diagnostic.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, string> Names, IReadOnlyList<string> Created, Diagnostic? Error)> EnsureAsync(string stack, IReadOnlyList<StackSecret> secrets, CancellationToken cancellationToken)
    {
        var (existing, error) = await ListAsync(stack, cancellationToken).ConfigureAwait(false);
        return error is not null ? (new Dictionary<string, string>(), [], error) : await EnsureAsync(stack, secrets, existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above, with the stack's secrets already listed (<see cref="ListAsync"/>) for this deploy.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Names, IReadOnlyList<string> Created, Diagnostic? Error)> EnsureAsync(string stack, IReadOnlyList<StackSecret> secrets, IReadOnlyList<SwarmSecret> existing, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new List<string>();
        foreach (var secret in secrets)
        {
            var versions = existing.Where(e => e.Key == secret.Key).ToList();
            if (SameValue(versions, secret) is { } same)
            {
                names[secret.Key] = same.Name;
                continue;
            }

            int version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1;
            string name = NameOf(stack, secret.Key, version);
            string salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var result = await _docker.RunAsync(
                CreateArguments(name, stack, secret.Key, salt, FingerprintOf(secret.Value, salt)),
                timeout: TimeSpan.FromMinutes(1),
                cancellationToken: cancellationToken,
                standardInput: secret.Value).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return (names, created, DiagnosticCatalog.SwarmSecretFailed.Create(name, string.Join(", ", secret.Services), result.ExitCode, "\n    " + result.Tail(5).Replace("\n", "\n    ")));
            }

            names[secret.Key] = name;
            created.Add(name);
        }

        return (names, created, null);
    }

    /// <summary>
    /// The secrets of <paramref name="secrets"/> whose value differs from every version the swarm has of them: those
    /// that EnsureAsync would rotate to a new version (a secret seen for the first time is not rotated).
    /// </summary>
    public static IReadOnlyList<StackSecret> Rotating(IReadOnlyList<SwarmSecret> existing, IReadOnlyList<StackSecret> secrets)
        => secrets.Where(s => existing.Where(e => e.Key == s.Key).ToList() is { Count: > 0 } versions && SameValue(versions, s) is null).ToList();

    /// <summary>The newest of <paramref name="versions"/> whose fingerprint says it holds the value of <paramref name="secret"/>, or null.</summary>
    private static SwarmSecret? SameValue(IEnumerable<SwarmSecret> versions, StackSecret secret)
        => versions.OrderByDescending(v => v.Version).FirstOrDefault(v => FingerprintOf(secret.Value, v.Salt) == v.Fingerprint);

    /// <summary>The argv of 'docker secret create': labels and the name; the value comes on standard input ("-").</summary>
    internal static IReadOnlyList<string> CreateArguments(string name, string stack, string key, string salt, string fingerprint)
        => ["secret", "create", "--label", $"{StackLabel}={stack}", "--label", $"{KeyLabel}={key}", "--label", $"{FingerprintLabel}={fingerprint}", "--label", $"{SaltLabel}={salt}", name, "-"];

    /// <summary>The stack's secrets.</summary>
    public async Task<(IReadOnlyList<SwarmSecret> Secrets, Diagnostic? Error)> ListAsync(string stack, CancellationToken cancellationToken)
    {
        var ids = await _docker.RunAsync(["secret", "ls", "--quiet", "--filter", $"label={StackLabel}={stack}"], timeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!ids.Succeeded)
        {
            return ([], DiagnosticCatalog.DockerCommandFailed.Create("docker secret ls", ids.ExitCode, ids.Tail(3)));
        }

        var list = ids.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (list.Count == 0)
        {
            return ([], null);
        }

        var inspect = await _docker.RunAsync(["secret", "inspect", .. list], timeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!inspect.Succeeded)
        {
            return ([], DiagnosticCatalog.DockerCommandFailed.Create("docker secret inspect", inspect.ExitCode, inspect.Tail(3)));
        }

        return (Parse(inspect.Stdout), null);
    }

    /// <summary>Parses 'docker secret inspect' output (IDs, names and labels; swarm never returns the data).</summary>
    internal static IReadOnlyList<SwarmSecret> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new List<SwarmSecret>();
        foreach (var s in document.RootElement.EnumerateArray())
        {
            var spec = s.GetProperty("Spec");
            var labels = SwarmJson.Labels(spec);
            string name = SwarmJson.Text(spec, "Name") ?? string.Empty;
            int v = name.LastIndexOf("_v", StringComparison.Ordinal);
            if (labels.TryGetValue(KeyLabel, out var key) && labels.TryGetValue(SaltLabel, out var salt) && labels.TryGetValue(FingerprintLabel, out var fingerprint)
                && v > 0 && int.TryParse(name[(v + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                result.Add(new SwarmSecret(SwarmJson.Text(s, "ID") ?? string.Empty, name, key, version, salt, fingerprint));
            }
        }

        return result;
    }

    /// <summary>
    /// Removes the versions a rollback can no longer need: all but the newest <see cref="VersionsKept"/>
    /// of each key. Swarm refuses to remove a secret a service still uses; such a version stays.
    /// Returns the names removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> PruneAsync(string stack, CancellationToken cancellationToken)
    {
        var (existing, error) = await ListAsync(stack, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return [];
        }

        var stale = existing.GroupBy(s => s.Key).SelectMany(g => g.OrderByDescending(s => s.Version).Skip(VersionsKept)).ToList();
        var removed = new List<string>();
        foreach (var secret in stale)
        {
            var result = await _docker.RunAsync(["secret", "rm", secret.Id], timeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                removed.Add(secret.Name);
            }
        }

        return removed;
    }

    /// <summary>Removes every secret of the stack (StackRemove with SbirStackRemoveSecrets=true). Returns the names removed and those swarm kept.</summary>
    public async Task<(IReadOnlyList<string> Removed, IReadOnlyList<string> Kept)> RemoveAllAsync(string stack, CancellationToken cancellationToken)
    {
        var (existing, _) = await ListAsync(stack, cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        var kept = new List<string>();
        foreach (var secret in existing)
        {
            var result = await _docker.RunAsync(["secret", "rm", secret.Id], timeout: TimeSpan.FromMinutes(1), cancellationToken: cancellationToken).ConfigureAwait(false);
            (result.Succeeded ? removed : kept).Add(secret.Name);
        }

        return (removed, kept);
    }
}
