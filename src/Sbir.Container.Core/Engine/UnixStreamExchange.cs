using System.Runtime.InteropServices;
using System.Text;

namespace Sbir.Container.Engine;

/// <summary>
/// One request and its whole answer over a unix stream socket, through libc's socket calls (Linux only).
/// </summary>
/// <remarks>
/// Why not System.Net.Sockets: the first socket of a process loads the networking assemblies, starts the socket engine's
/// event thread and its telemetry, which cost 20-30 ms on these machines (measured in a fresh process: 25 ms until the
/// first connect, against 1-2 ms here once libc is loaded, which SafeFile has done by then). The no-op DockerBuild asks
/// the engine two or three questions and nothing else; that start-up cost was a quarter of what a no-op added to an
/// empty build. Every failure (no socket, a refused or slow peer, a signal) gives null, and the caller asks the docker
/// CLI instead.
/// </remarks>
internal static class UnixStreamExchange
{
    /// <summary>Sends <paramref name="request"/>, reads until the peer closes; null on any failure or past <paramref name="maxBytes"/>.</summary>
    public static byte[]? Send(string socketPath, string request, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken)
    {
        byte[] path = Encoding.UTF8.GetBytes(socketPath);
        // The struct timeval below is two 64-bit fields: Linux on a 64-bit process (x86-64, arm64) only.
        if (!OperatingSystem.IsLinux() || !System.Environment.Is64BitProcess || path.Length >= SunPathLength)
        {
            return null;
        }

        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            // SO_SNDTIMEO bounds connect and write, SO_RCVTIMEO each read: a hung engine costs the timeout, then the CLI decides.
            long[] limit = [(long)timeout.TotalSeconds, timeout.Milliseconds * 1000L];
            if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, limit, sizeof(long) * 2) != 0
                || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, limit, sizeof(long) * 2) != 0)
            {
                return null;
            }

            // struct sockaddr_un: sa_family_t (2 bytes, host order) then the NUL-terminated path.
            byte[] address = new byte[2 + SunPathLength];
            BitConverter.TryWriteBytes(address.AsSpan(0, 2), (ushort)AF_UNIX);
            path.CopyTo(address, 2);
            if (connect(fd, address, 2 + path.Length + 1) != 0)
            {
                return null;
            }

            byte[] pending = Encoding.ASCII.GetBytes(request);
            while (pending.Length > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                nint n = send(fd, pending, pending.Length, MSG_NOSIGNAL);
                if (n > 0)
                {
                    pending = pending[(int)n..];
                }
                else if (!Interrupted(n))
                {
                    return null;
                }
            }

            using var answer = new MemoryStream();
            byte[] buffer = new byte[16384];
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                nint n = read(fd, buffer, buffer.Length);
                if (n == 0)
                {
                    return answer.ToArray();
                }

                if (n < 0)
                {
                    if (Interrupted(n))
                    {
                        continue;
                    }

                    return null;
                }

                answer.Write(buffer, 0, (int)n);
                if (answer.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>A call that failed only because a signal arrived (the runtime uses signals too): try it again.</summary>
    private static bool Interrupted(nint result) => result < 0 && Marshal.GetLastPInvokeError() == EINTR;

    // Linux constants (x86-64 and arm64 alike): <sys/socket.h>, <asm-generic/socket.h>, <errno.h>.
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SOL_SOCKET = 1;
    private const int SO_RCVTIMEO = 20;
    private const int SO_SNDTIMEO = 21;
    private const int MSG_NOSIGNAL = 0x4000;
    private const int EINTR = 4;
    private const int SunPathLength = 108;

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsockopt(int fd, int level, int name, long[] value, int length);

    [DllImport("libc", SetLastError = true)]
    private static extern int connect(int fd, byte[] address, int length);

    [DllImport("libc", SetLastError = true)]
    private static extern nint send(int fd, byte[] buffer, nint length, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint length);

    [DllImport("libc")]
    private static extern int close(int fd);
}
