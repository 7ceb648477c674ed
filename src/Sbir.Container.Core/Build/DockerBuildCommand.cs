using Sbir.Container.Engine;

namespace Sbir.Container.Build;

/// <summary>One docker build invocation: its argv and the environment the child gets.</summary>
/// <param name="Arguments">argv after the CLI name; contains no secret value.</param>
/// <param name="Environment">Variables for the child: DOCKER_BUILDKIT and the values of secrets.</param>
public sealed record DockerBuildCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>
    /// Builds the argv for building <paramref name="stage"/> of <paramref name="request"/> with
    /// <paramref name="builder"/>, tagging it <paramref name="references"/> and writing its ID to
    /// <paramref name="imageIdFile"/>.
    /// </summary>
    public static DockerBuildCommand Create(ImageBuildRequest request, string stage, IReadOnlyList<string> references, BuilderKind builder, string imageIdFile)
    {
        var args = new List<string>();
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (builder)
        {
            case BuilderKind.Buildx:
                args.AddRange(["buildx", "build", "--load", "--progress=plain"]);
                break;
            case BuilderKind.BuildKitBuiltIn:
                args.AddRange(["build", "--progress=plain"]);
                env["DOCKER_BUILDKIT"] = "1";
                break;
            case BuilderKind.Podman:
                args.Add("build");
                break;
            default:
                // --force-rm: the legacy builder keeps the container of a failed step otherwise (BuildKit keeps none).
                args.AddRange(["build", "--force-rm"]);
                // Explicit, so that a DOCKER_BUILDKIT=1 in the user's environment does not make a
                // client without BuildKit fail.
                env["DOCKER_BUILDKIT"] = "0";
                break;
        }

        args.AddRange(["--file", request.DockerfilePath, "--target", stage]);
        foreach (string reference in references)
        {
            args.AddRange(["--tag", reference]);
        }

        foreach (var (name, value) in request.EffectiveBuildArgs)
        {
            args.AddRange(["--build-arg", $"{name}={value}"]);
        }

        foreach (var (name, value) in request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            args.AddRange(["--label", $"{name}={value}"]);
        }

        foreach (var secret in request.Secrets)
        {
            if (secret.File is not null)
            {
                args.AddRange(["--secret", $"id={secret.Id},src={secret.File}"]);
            }
            else
            {
                // The value travels in the child's environment under a name of our own, so that the
                // argv names only the variable and a same-named variable of the user is not clobbered.
                string variable = "SBIR_BUILD_SECRET_" + Sanitize(secret.Id);
                env[variable] = secret.Value ?? string.Empty;
                args.AddRange(["--secret", $"id={secret.Id},env={variable}"]);
            }
        }

        if (builder != BuilderKind.Legacy)
        {
            foreach (string from in request.CacheFrom)
            {
                args.AddRange(["--cache-from", from]);
            }

            if (!string.IsNullOrWhiteSpace(request.CacheTo))
            {
                args.AddRange(["--cache-to", request.CacheTo!]);
            }
        }
        else
        {
            foreach (string from in request.CacheFrom.Where(f => !f.Contains('=')))
            {
                args.AddRange(["--cache-from", from]);
            }
        }

        if (!string.IsNullOrWhiteSpace(request.Platform))
        {
            args.AddRange(["--platform", request.Platform!]);
        }

        args.AddRange(["--iidfile", imageIdFile]);
        args.Add(request.ContextDirectory);
        return new DockerBuildCommand(args, env);
    }

    private static string Sanitize(string id)
        => new(id.ToUpperInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
