using System.Net.Sockets;
using System.Text;

namespace Sbir.Container.Core.Tests.Fakes;

/// <summary>
/// An HTTP server on a unix socket in a temporary folder that answers the engine API's image inspect
/// (GET /images/{reference}/json) from an image store, for unit tests of the socket shortcut. The end-to-end tests
/// ask the real engine.
/// </summary>
internal sealed class FakeEngineSocket : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _thread;
    private readonly string _directory;
    private readonly ManualResetEventSlim _disposed = new();

    public FakeEngineSocket(IDictionary<string, string> images)
    {
        _directory = Path.Combine(Path.GetTempPath(), "sbir-sock-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        SocketPath = Path.Combine(_directory, "docker.sock");
        Images = images;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public string SocketPath { get; }

    public IDictionary<string, string> Images { get; }

    /// <summary>When set, every request gets this raw response instead.</summary>
    public string? RawResponse { get; set; }

    /// <summary>When true, requests are read and never answered (a hung engine).</summary>
    public bool Silent { get; set; }

    /// <summary>Every request target seen, in order.</summary>
    public List<string> Requests { get; } = [];

    private void Serve()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                var request = new StringBuilder();
                byte[] buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = client.Receive(buffer);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                string target = request.ToString().Split(' ') is [_, var t, ..] ? t : string.Empty;
                lock (Requests)
                {
                    Requests.Add(target);
                }

                if (Silent)
                {
                    _disposed.Wait(TimeSpan.FromSeconds(60));
                    continue;
                }

                client.Send(Encoding.UTF8.GetBytes(RawResponse ?? Answer(target)));
                client.Shutdown(SocketShutdown.Both);
            }
        }
    }

    private string Answer(string target)
    {
        const string prefix = "/images/";
        string reference = target.StartsWith(prefix, StringComparison.Ordinal) && target.EndsWith("/json", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(target[prefix.Length..^"/json".Length])
            : string.Empty;
        return Images.TryGetValue(reference, out string? id)
            ? $"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{{\"Id\":\"{id}\",\"RepoTags\":[\"{reference}\"],\"Size\":1}}"
            : $"HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{{\"message\":\"No such image: {reference}\"}}";
    }

    public void Dispose()
    {
        _disposed.Set();
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
