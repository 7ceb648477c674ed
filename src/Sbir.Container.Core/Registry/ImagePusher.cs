using System.Text.RegularExpressions;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;

namespace Sbir.Container.Registry;

/// <summary>What a push produced: the registry digest of the image and where it was written.</summary>
public sealed record PushResult(IReadOnlyList<Diagnostic> Diagnostics, string? Digest, IReadOnlyList<string> PushedReferences, string? DigestFile)
{
    /// <summary>True when every tag was pushed.</summary>
    public bool Succeeded => Digest is not null && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Pushes a built image under every tag with 'docker push', which uses the docker CLI's own
/// credentials (docker login, credential helpers): no password passes through the SDK. Reads the
/// digest the registry reports, checks all tags got the same one, and writes it to a file.
/// </summary>
public sealed partial class ImagePusher
{
    private readonly DockerCli _docker;
    private readonly IBuildProgress _progress;

    /// <summary>Creates a pusher.</summary>
    public ImagePusher(DockerCli docker, IBuildProgress progress)
    {
        _docker = docker;
        _progress = progress;
    }

    /// <summary>Pushes <paramref name="references"/> (repository:tag, all of one image) and records the digest in <paramref name="digestFile"/>.</summary>
    public async Task<PushResult> PushAsync(IReadOnlyList<string> references, string digestFile, CancellationToken cancellationToken = default)
    {
        var diagnostics = new List<Diagnostic>();
        var lookup = await _docker.InspectImageIdsAsync(references, cancellationToken).ConfigureAwait(false);
        if (!lookup.Answered)
        {
            diagnostics.Add(DiagnosticCatalog.DockerCommandFailed.Create("docker image inspect", lookup.EngineFailure!.ExitCode, lookup.EngineFailure.Tail(3)));
            return new PushResult(diagnostics, null, [], null);
        }

        for (int i = 0; i < references.Count; i++)
        {
            if (lookup.Ids[i] is null)
            {
                diagnostics.Add(DiagnosticCatalog.PushImageMissing.Create(references[i]));
            }
        }

        if (diagnostics.Count > 0)
        {
            return new PushResult(diagnostics, null, [], null);
        }

        string? digest = null;
        var pushed = new List<string>();
        foreach (string reference in references)
        {
            _progress.Status($"docker push {reference}");
            var result = await _docker.RunAsync(["push", reference], observer: new ProgressObserver(_progress), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Outcome == ProcessOutcome.Cancelled)
            {
                diagnostics.Add(DiagnosticCatalog.Cancelled.Create("DockerPush", "docker push"));
                break;
            }

            if (!result.Succeeded)
            {
                diagnostics.Add(Classify(reference, result));
                break;
            }

            string? reported = DigestPattern().Matches(result.Stdout).Select(m => m.Groups["digest"].Value).LastOrDefault();
            if (reported is null)
            {
                diagnostics.Add(DiagnosticCatalog.PushPrintedNoDigest.Create(reference));
                break;
            }

            if (digest is not null && digest != reported)
            {
                diagnostics.Add(DiagnosticCatalog.PushDigestsDiffer.Create(Repository(reference), Tag(reference), reported, digest));
                break;
            }

            digest = reported;
            pushed.Add(reference);
        }

        if (digest is null || diagnostics.Count > 0)
        {
            return new PushResult(diagnostics, null, pushed, null);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(digestFile)!);
        File.WriteAllText(digestFile, $"{Repository(references[0])}@{digest}\n");
        return new PushResult(diagnostics, digest, pushed, digestFile);
    }

    /// <summary>Turns docker's push failure into the coded error that says what to do.</summary>
    internal static Diagnostic Classify(string reference, ProcessResult result)
    {
        string text = result.Stderr + "\n" + result.Stdout;
        string host = RegistryReference.Parse(Repository(reference)).Host;
        string tail = result.Tail(4).Replace('\n', ' ');
        if (Regex.IsMatch(text, "unauthorized|authentication required|denied|no basic auth credentials|401 Unauthorized", RegexOptions.IgnoreCase))
        {
            return DiagnosticCatalog.RegistryAuthenticationFailed.Create(host, RegistryReference.Parse(Repository(reference)).Repository, tail);
        }

        if (text.Contains("server gave HTTP response to HTTPS client", StringComparison.OrdinalIgnoreCase))
        {
            return DiagnosticCatalog.RegistryInsecure.Create(host);
        }

        if (Regex.IsMatch(text, "connection refused|no such host|i/o timeout|dial tcp|no route to host|TLS handshake timeout|Client.Timeout", RegexOptions.IgnoreCase))
        {
            return DiagnosticCatalog.RegistryUnreachable.Create(host, tail);
        }

        if (text.Contains("does not exist", StringComparison.OrdinalIgnoreCase) && text.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            return DiagnosticCatalog.PushImageMissing.Create(reference);
        }

        return DiagnosticCatalog.PushFailed.Create(reference, result.ExitCode, "\n    " + result.Tail(8).Replace("\n", "\n    "));
    }

    /// <summary>repository of repository:tag.</summary>
    public static string Repository(string reference) => ImageReference.RepositoryOf(reference);

    /// <summary>tag of repository:tag (latest when none).</summary>
    public static string Tag(string reference) => ImageReference.TagOf(reference) ?? "latest";

    /// <summary>
    /// The file DockerPush records the pushed digest of <paramref name="repository"/> in (REPOSITORY@sha256:... and a
    /// newline), in <paramref name="stateDirectory"/>; StackDeploy reads it to pin the image.
    /// </summary>
    public static string DigestFile(string stateDirectory, string repository)
        => Path.Combine(stateDirectory, new string(repository.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray()) + ".digest");

    [GeneratedRegex(@"digest: (?<digest>sha256:[0-9a-f]{64})")]
    private static partial Regex DigestPattern();
}
