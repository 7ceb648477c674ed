using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.IO;

namespace Sbir.Container.Validation;

/// <summary>The outcome of an incremental validation: the findings, and whether they were replayed from the record.</summary>
/// <param name="Diagnostics">Every finding, masked.</param>
/// <param name="Skipped">True when nothing had changed and the recorded findings were replayed.</param>
/// <param name="Reason">Why it ran in full (the first change), or what the skip checked.</param>
/// <param name="SecretValues">The secret values a full run found (to mask in later logs); empty when skipped.</param>
public sealed record IncrementalValidationResult(IReadOnlyList<Diagnostic> Diagnostics, bool Skipped, string Reason, IReadOnlyList<string> SecretValues);

/// <summary>
/// ContainerValidate, skipped when nothing it depends on changed since the last validation of the same purpose (the
/// profile, and whether .env is required): one record per purpose under <c>obj/SbirContainer/validation/</c>
/// (<see cref="ValidationRecord"/>). Any change (a file edited, a file added to or removed from a folder it walked, .env,
/// a property, an environment variable it read, the SDK) runs every check again. A validation that found an error is
/// never recorded, so it runs in full every time.
/// </summary>
public sealed class IncrementalValidation
{
    private readonly ContainerValidator _validator;
    private readonly EnvironmentSnapshot _host;
    private readonly string _recordDirectory;

    private readonly bool _force;

    /// <summary>Creates it over <paramref name="validator"/>, keeping records in <paramref name="recordDirectory"/> (null or empty: never skip); <paramref name="force"/> runs every check but still records.</summary>
    public IncrementalValidation(ContainerValidator validator, EnvironmentSnapshot host, string? recordDirectory, bool force = false)
    {
        _force = force;
        _validator = validator;
        _host = host;
        _recordDirectory = recordDirectory ?? string.Empty;
    }

    /// <summary>How many records of one purpose are kept: one per set of properties, so that two targets that validate the same purpose with different properties (a build's context and a plain ContainerValidate) do not undo each other's record.</summary>
    public const int RecordsPerPurpose = 4;

    /// <summary>The record file of a request: its purpose (all, dev.env-required ...) and a short hash of its properties: all.3f2a9c1e.json.</summary>
    public string RecordPath(ValidationRequest request)
        => Path.Combine(_recordDirectory, Purpose(request) + "." + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ValidationRecord.RequestText(request))))[..8].ToLowerInvariant() + ".json");

    private static string Purpose(ValidationRequest request)
    {
        string profile = request.Profile is null ? "all" : new string(request.Profile.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return profile + (request.EnvRequired ? ".env-required" : string.Empty);
    }

    /// <summary>The other records of the request's purpose, newest first.</summary>
    private List<FileInfo> OtherRecords(ValidationRequest request, string path)
    {
        try
        {
            string purpose = Purpose(request);
            return new DirectoryInfo(_recordDirectory).EnumerateFiles(purpose + ".*.json")
                .Where(f => f.FullName != Path.GetFullPath(path) && f.Name.Length == purpose.Length + ".12345678.json".Length)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Validates, or replays the recorded findings when nothing changed. <paramref name="mask"/> masks messages before they are kept or returned.</summary>
    public IncrementalValidationResult Validate(ValidationRequest request, Func<IReadOnlyList<string>, Func<Diagnostic, Diagnostic>> mask)
    {
        string requestText = ValidationRecord.RequestText(request);
        string path = RecordPath(request);
        string reason = "no earlier validation is recorded";
        if (_recordDirectory.Length == 0)
        {
            reason = "no record folder is set";
        }
        else if (_force)
        {
            reason = "SbirContainerForceValidation is true";
        }
        else if (ValidationRecord.Read(path) is not { } previous)
        {
            // Another record of this purpose means the same validation ran before with other properties (or another SDK).
            if (OtherRecords(request, path).Count > 0)
            {
                reason = "a property or the SDK changed";
            }
        }
        else
        {
            if (previous.FirstChange(requestText, _host, request.ProjectDirectory) is { } change)
            {
                reason = change;
            }
            else
            {
                return new IncrementalValidationResult(previous.ToDiagnostics(), true,
                    $"{previous.Files.Count} files, {previous.Listings.Count} folders and {previous.Variables.Count} variables unchanged", []);
            }
        }

        ValidationResult result;
        InputLog log;
        using (log = InputLog.Start())
        {
            result = _validator.Validate(request);
        }

        var apply = mask(result.SecretValues);
        var masked = result.Diagnostics.Select(apply).ToList();
        if (_recordDirectory.Length > 0)
        {
            if (result.HasErrors)
            {
                // Errors are never cached: the next build checks everything again.
                TryDelete(path);
            }
            else
            {
                try
                {
                    DropOwnState(log, request.ProjectDirectory);
                    ValidationRecord.From(log, requestText, masked).Write(path);
                    foreach (var old in OtherRecords(request, path).Skip(RecordsPerPurpose - 1))
                    {
                        TryDelete(old.FullName);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Without a record the next validation simply runs in full.
                    TryDelete(path);
                }
            }
        }

        return new IncrementalValidationResult(masked, false, reason, result.SecretValues);
    }

    /// <summary>
    /// The SDK's own state is no input: a walker that entered obj/ (a .dockerignore with '!' exceptions walks excluded
    /// folders) lists the folder this record is written to, and the folders above it, which DockerBuild and this record
    /// change on every build. Their listings and files are dropped, up to the project folder.
    /// </summary>
    private void DropOwnState(InputLog log, string projectDirectory)
    {
        string state = Path.GetFullPath(Path.Combine(_recordDirectory, ".."));
        string project = Path.GetFullPath(projectDirectory).TrimEnd(Path.DirectorySeparatorChar);
        bool Inside(string path) => path == state || path.StartsWith(state.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var above = new HashSet<string>(StringComparer.Ordinal);
        for (var dir = Directory.GetParent(state.TrimEnd(Path.DirectorySeparatorChar)); dir is not null && dir.FullName.Length > project.Length && dir.FullName.StartsWith(project, StringComparison.Ordinal); dir = dir.Parent)
        {
            above.Add(dir.FullName);
        }

        foreach (string listed in log.Listings.Keys.Where(k => Inside(k) || above.Contains(k.TrimEnd(Path.DirectorySeparatorChar))).ToList())
        {
            log.Listings.Remove(listed);
        }

        foreach (string file in log.Files.Keys.Where(Inside).ToList())
        {
            log.Files.Remove(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale record cannot be trusted less than it already is: its inputs are checked before any use.
        }
    }
}
