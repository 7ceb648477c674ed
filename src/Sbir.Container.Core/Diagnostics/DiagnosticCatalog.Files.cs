namespace Sbir.Container.Diagnostics;

// SBC005x: the files the SDK reads and writes as files: what they are (a FIFO, a device, a folder), how big, whether
// they can be read or written. The user's environment, never a bug of the SDK (SBC0001).
public static partial class DiagnosticCatalog
{
    /// <summary>A path the SDK reads names a folder, a FIFO, a socket or a device rather than a file.</summary>
    public static readonly DiagnosticDescriptor FileNotRegular = new(
        "SBC0050", "Not a regular file", DiagnosticSeverity.Error,
        "'{0}' is {1}, not a regular file, so it was not read",
        "Replace it with a regular file, or point the setting that names it at one.");

    /// <summary>A file far larger than any file of its kind.</summary>
    public static readonly DiagnosticDescriptor FileTooLarge = new(
        "SBC0051", "File too large", DiagnosticSeverity.Error,
        "'{0}' is {1}, more than the {2} the SDK reads from a file of this kind, so it was not read",
        "Check that the path names the file you meant; a .env, compose file, Dockerfile or configuration file is a few kilobytes.");

    /// <summary>A file that exists but cannot be opened or read: the user's environment, not a bug of the SDK.</summary>
    public static readonly DiagnosticDescriptor FileUnreadable = new(
        "SBC0052", "File unreadable", DiagnosticSeverity.Error,
        "'{0}' could not be read: {1}",
        "Give the user running the build read access to it (ls -l shows its owner and mode), or check the disk it is on.");

    /// <summary>An output file the user asked for could not be written: a folder in its place, a full disk, no permission.</summary>
    public static readonly DiagnosticDescriptor OutputNotWritten = new(
        "SBC0053", "Output file not written", DiagnosticSeverity.Error,
        "'{0}' could not be written: {1}",
        "Set {2} to a file path in a folder you can write to, on a disk with free space.");

    /// <summary>SbirContainerConfigFile names a file that does not exist (the default config/docker.yaml may be absent).</summary>
    public static readonly DiagnosticDescriptor ConfigFileNotFound = new(
        "SBC0054", "Configuration file not found", DiagnosticSeverity.Error,
        "SbirContainerConfigFile names '{0}', which does not exist, so none of its settings, contract or rules would apply",
        "Fix the path (relative paths are resolved against the project folder), or leave SbirContainerConfigFile unset to use config/docker.yaml when it exists.");

    /// <summary>The configuration file exists but is empty.</summary>
    public static readonly DiagnosticDescriptor ConfigFileEmpty = new(
        "SBC0055", "Configuration file empty", DiagnosticSeverity.Warning,
        "'{0}' is empty, so every setting comes from conventions and no environment contract is checked",
        "Fill it in (docs/reference/docker-yaml.md; the sample's config/docker.yaml is a starting point), or delete it if conventions are what you want.");
}
