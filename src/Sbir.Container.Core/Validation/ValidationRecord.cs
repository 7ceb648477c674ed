using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.IO;

namespace Sbir.Container.Validation;

/// <summary>A finding kept in a record, as it was logged (masked): replayed when the validation is skipped.</summary>
public sealed record RecordedDiagnostic(string Code, DiagnosticSeverity Severity, string? File, int Line, int Column, int EndLine, int EndColumn, string Message);

/// <summary>
/// What one ContainerValidate checked and found, kept under obj/ (SbirContainerIntermediateDirectory/validation/): the
/// request and the SDK (as one salted hash), every file it read (size, time, salted content hash), every folder it listed,
/// every environment variable it looked up (salted hashes) and its findings, which held no error. The next validation of
/// the same purpose (profile, .env required or not) is skipped when all of it is unchanged, as the .NET SDK's
/// CoreCompileInputs cache and Jib's digest file do. It holds no file content and no value: .env and the environment
/// appear only as salted hashes.
/// </summary>
public sealed record ValidationRecord
{
    /// <summary>Bumped whenever the meaning of the fields changes, so old records are ignored.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format of this record.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The random salt of every hash below (base64).</summary>
    public string Salt { get; init; } = string.Empty;

    /// <summary>The salted hash of the request (properties) and the SDK's build.</summary>
    public string Request { get; init; } = string.Empty;

    /// <summary>Files read, by full path (in ordinal order, as every map of the record).</summary>
    public Dictionary<string, FileInput> Files { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Folders listed, by full path.</summary>
    public Dictionary<string, string> Listings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Environment variables looked up, by name.</summary>
    public Dictionary<string, string> Variables { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The findings (warnings and notes; a validation with errors is never recorded).</summary>
    public List<RecordedDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>A record of what <paramref name="log"/> saw for a request whose text is <paramref name="requestText"/>.</summary>
    public static ValidationRecord From(InputLog log, string requestText, IEnumerable<Diagnostic> diagnostics) => new()
    {
        Salt = Convert.ToBase64String(log.Salt),
        Request = InputLog.HashOf(log.Salt, requestText),
        Files = StateFile.Sorted(log.Files),
        Listings = StateFile.Sorted(log.Listings),
        Variables = StateFile.Sorted(log.Variables),
        Diagnostics = diagnostics.Select(d => new RecordedDiagnostic(d.Code, d.Severity, d.File, d.Span.Line, d.Span.Column, d.Span.EndLine, d.Span.EndColumn, d.Message)).ToList(),
    };

    /// <summary>Reads a record; null when missing, unreadable or of another format.</summary>
    public static ValidationRecord? Read(string path)
        => StateFile.Read(path, FromJson) is { Format: CurrentFormat, Salt.Length: > 0 } record ? record : null;

    /// <summary>The record in a parsed file (the fields <see cref="Write"/> writes).</summary>
    internal static ValidationRecord FromJson(JsonElement e) => new()
    {
        Format = e.Int(nameof(Format)),
        Salt = e.String(nameof(Salt)),
        Request = e.String(nameof(Request)),
        Files = e.Map(nameof(Files), f => new FileInput(f.Enum<FileKind>(nameof(FileInput.Kind)), f.Long(nameof(FileInput.Length)), f.Long(nameof(FileInput.Ticks)), f.String(nameof(FileInput.Hash)))),
        Listings = e.StringMap(nameof(Listings)),
        Variables = e.StringMap(nameof(Variables)),
        Diagnostics = e.List(nameof(Diagnostics), d => new RecordedDiagnostic(
            d.String(nameof(RecordedDiagnostic.Code)), d.Enum<DiagnosticSeverity>(nameof(RecordedDiagnostic.Severity)), d.NullableString(nameof(RecordedDiagnostic.File)),
            d.Int(nameof(RecordedDiagnostic.Line)), d.Int(nameof(RecordedDiagnostic.Column)), d.Int(nameof(RecordedDiagnostic.EndLine)), d.Int(nameof(RecordedDiagnostic.EndColumn)),
            d.String(nameof(RecordedDiagnostic.Message)))),
    };

    /// <summary>Writes the record atomically (temp file, then rename).</summary>
    public void Write(string path) => StateFile.Write(path, this, StateJson.Default.ValidationRecord);

    /// <summary>
    /// The first input that differs from now, in words ("config/docker.yaml changed", "the environment variable
    /// NEO4J_PASSWORD changed"), or null when none does. A file whose size and time are as recorded is taken as unchanged
    /// (as MSBuild and git take it); otherwise its content is hashed again, so a touched file with the same bytes counts as unchanged.
    /// </summary>
    public string? FirstChange(string requestText, EnvironmentSnapshot host, string baseDirectory)
    {
        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(Salt);
        }
        catch (FormatException)
        {
            return "the record is unreadable";
        }

        if (InputLog.HashOf(salt, requestText) != Request)
        {
            return "a property or the SDK changed";
        }

        foreach (var (name, hash) in Variables)
        {
            if (InputLog.HashOf(salt, host.Get(name)) != hash)
            {
                return $"the environment variable {name} changed";
            }
        }

        foreach (var (path, recorded) in Files)
        {
            if (FileChanged(salt, path, recorded))
            {
                return $"{Relative(path, baseDirectory)} changed";
            }
        }

        foreach (var (directory, hash) in Listings)
        {
            if (InputLog.ListingHash(salt, directory) != hash)
            {
                return $"a file was added to or removed from {Relative(directory, baseDirectory)}";
            }
        }

        return null;
    }

    /// <summary>The recorded findings as diagnostics again.</summary>
    public IReadOnlyList<Diagnostic> ToDiagnostics()
        => Diagnostics.Select(d => DiagnosticCatalog.Find(d.Code) is { } descriptor
                ? new Diagnostic(descriptor, d.Severity, d.File, new SourceSpan(d.Line, d.Column, d.EndLine, d.EndColumn), d.Message)
                : null)
            .OfType<Diagnostic>()
            .ToList();

    private static bool FileChanged(byte[] salt, string path, FileInput recorded)
    {
        var (kind, length, ticks) = InputLog.Stat(path);
        if (recorded.Kind != FileKind.Regular || kind != FileKind.Regular)
        {
            // Missing, a folder, a FIFO...: what counts is that it is still the same kind of thing.
            return kind != recorded.Kind;
        }

        if (length == recorded.Length && ticks == recorded.Ticks)
        {
            return false;
        }

        if (recorded.Hash.Length == 0)
        {
            return true;
        }

        var content = SafeFile.Read(path);
        return !content.Succeeded || InputLog.HashOf(salt, content.Bytes) != recorded.Hash;
    }

    private static string Relative(string path, string baseDirectory)
    {
        string relative = Path.GetRelativePath(baseDirectory, path).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) ? path : relative == "." ? "the project folder" : relative;
    }

    /// <summary>The canonical text of a request and the SDK build it is checked by: the record's key.</summary>
    public static string RequestText(ValidationRequest request)
    {
        var text = new StringBuilder();
        void Add(string name, object? value) => text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        var sdk = typeof(ValidationRecord).Assembly;
        Add("sdk", sdk.ManifestModule.ModuleVersionId);
        Add("project", request.ProjectDirectory);
        Add("config", request.ConfigFile);
        Add("dockerfile", request.DockerfilePath);
        Add("context", request.ContextDirectory);
        Add("runtime", request.RuntimeStage);
        Add("builder", request.BuilderStage);
        Add("dockerfileRequired", request.DockerfileRequired);
        Add("baseImage", request.BaseImage);
        Add("baseImageArgument", request.BaseImageArgument);
        // Sorted keys, not OrderBy over the pairs (LINQ over a struct is compiled on the spot, and this runs on every build).
        string[] names = [.. request.BuildArgs.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        foreach (string name in names)
        {
            Add("arg:" + name, request.BuildArgs[name]);
        }

        Add("profile", request.Profile);
        Add("envRequired", request.EnvRequired);
        Add("compose", request.CheckCompose);
        Add("env", request.EnvFile);
        return text.ToString();
    }
}
