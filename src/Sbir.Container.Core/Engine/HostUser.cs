using System.Runtime.InteropServices;

namespace Sbir.Container.Engine;

/// <summary>
/// The user this process runs as, in the form containers take a user ("uid:gid"): DockerTest runs its tests
/// container as it, so that TestResults/ stays the caller's, and ComposeUp and ComposeRun hand it to the dev
/// profile's services (SBIR_HOST_USER), so that what they write to bind mounts belongs to the caller.
/// </summary>
public static class HostUser
{
    /// <summary>"uid:gid" of this process on Linux and macOS; null on Windows, where Docker Desktop maps file ownership itself.</summary>
    public static string? Current()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return $"{getuid()}:{getgid()}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc")]
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint getgid();
}
