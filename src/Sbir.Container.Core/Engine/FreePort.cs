using System.Net;
using System.Net.Sockets;

namespace Sbir.Container.Engine;

/// <summary>
/// A TCP port nobody listens on right now, for the host side of a throw-away stack's published ports.
/// The operating system picks it; another process could take it before docker binds it, which a test
/// stack shows as compose's "port is already allocated" and a rerun fixes.
/// </summary>
public static class FreePort
{
    /// <summary>Asks the operating system for a free port on all interfaces (where docker publishes).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
