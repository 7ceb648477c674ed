using System.Net;
using System.Net.Sockets;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Engine;

public class FreePortTests
{
    [Fact]
    public void The_port_can_be_bound_right_after_and_differs_between_calls()
    {
        int first = FreePort.Next();
        int second = FreePort.Next();
        Assert.InRange(first, 1024, 65535);
        using var listener = new TcpListener(IPAddress.Any, first);
        listener.Start();
        Assert.NotEqual(first, FreePort.Next());
        listener.Stop();
        Assert.InRange(second, 1024, 65535);
    }
}
