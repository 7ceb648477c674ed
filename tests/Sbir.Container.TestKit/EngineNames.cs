namespace Sbir.Container.TestKit;

/// <summary>
/// Names of the engine objects tests create (images, compose projects), unique per call, and the record
/// of every id handed out in this test process: the engine is shared with other runs, so what this
/// run left behind is what carries one of these ids (the suite's last test checks).
/// </summary>
public static class EngineNames
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Ids = new(StringComparer.Ordinal);

    /// <summary>A new id of 8 hex digits, recorded.</summary>
    public static string NewId()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        Ids[id] = true;
        return id;
    }

    /// <summary><paramref name="prefix"/> followed by a new recorded id, for example sbir-e2e-b-1a2b3c4d.</summary>
    public static string Unique(string prefix) => prefix + NewId();

    /// <summary>Every id handed out in this process.</summary>
    public static IReadOnlyCollection<string> Issued => [.. Ids.Keys];
}
