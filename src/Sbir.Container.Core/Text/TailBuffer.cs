namespace Sbir.Container.Text;

/// <summary>Keeps the last N lines of a stream: the "last lines of output" shown in build and health errors.</summary>
public sealed class TailBuffer
{
    private readonly Queue<string> _lines;
    private readonly object _gate = new();

    /// <summary>Creates a buffer that keeps at most <paramref name="capacity"/> lines.</summary>
    public TailBuffer(int capacity)
    {
        Capacity = Math.Max(1, capacity);
        _lines = new Queue<string>(Capacity);
    }

    /// <summary>How many lines are kept.</summary>
    public int Capacity { get; }

    /// <summary>Total lines seen, kept or not.</summary>
    public long Seen { get; private set; }

    /// <summary>Adds a line, dropping the oldest when full.</summary>
    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
            Seen++;
        }
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }
}
