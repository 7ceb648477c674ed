// Times each reader of the SDK on the sample's real file (the baseline) and on hostile inputs of the same kind,
// and prints throughput and the ratio to the baseline: a reader that is linear keeps a ratio near 1 or better on
// big inputs; one that backtracks or expands shows it here. Everything runs in this one process, so the ratios are
// comparable even on a noisy machine; the absolute figures are not.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sbir.Container.Configuration;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;
using Sbir.Container.Compose;
using Sbir.Container.Context;
using Sbir.Container.Dotenv;
using Sbir.Container.IO;
using Sbir.Container.Secrets;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: BadInput SAMPLE_DIR [RUNS]");
    return 2;
}

string sample = args[0];
int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
const int Mb5 = 5 * 1024 * 1024;

string Fill(string unit, int size)
{
    var sb = new StringBuilder(size + unit.Length);
    while (sb.Length < size)
    {
        sb.Append(unit);
    }

    return sb.ToString();
}

string Noise(int size, int seed)
{
    var random = new Random(seed);
    var chars = new char[size];
    const string alphabet = " \n\t\\\"'$(){}[]:-&*!|>#=@%AZaz09_\r";
    for (int i = 0; i < size; i++)
    {
        chars[i] = alphabet[random.Next(alphabet.Length)];
    }

    return new string(chars);
}

string AliasBomb(int levels)
{
    var yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < levels; i++)
    {
        string previous = i == 0 ? "a" : "b" + (i - 1);
        yaml.Append(CultureInfo.InvariantCulture, $"b{i}: &b{i} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n");
    }

    return yaml.Append("container:\n  image: ok\n").ToString();
}

string Outcome(IEnumerable<Sbir.Container.Diagnostics.Diagnostic> diagnostics)
{
    var list = diagnostics.ToList();
    return list.Count == 0 ? "clean" : string.Join(", ", list.GroupBy(d => d.Code).Select(g => g.Count() == 1 ? (g.First().Span.HasPosition ? $"{g.Key} (line {g.First().Span.Line})" : g.Key) : $"{g.Count()} x {g.Key}").Take(3)) + (list.Select(d => d.Code).Distinct().Count() > 3 ? ", ..." : string.Empty);
}

var readers = new (string Reader, string SampleFile, Func<string, string> Read, (string Case, Func<string> Make)[] Cases)[]
{
    ("Dockerfile: parse and rules", "Dockerfile",
        t => Outcome(DockerfileRules.Check(DockerfileParser.Parse(t, "Dockerfile"), new DockerfileRuleOptions { RuntimeStage = "runtime" })),
        [
            ("5 MB RUN line", () => "FROM x\nRUN " + Fill("apt-get install gcc && ", Mb5)),
            ("5 MB COPY line", () => "FROM x\nCOPY " + Fill("src/ ", Mb5) + "\nRUN pip install -r requirements.txt"),
            ("5 MB of ${A:-", () => "FROM " + Fill("${A:-", Mb5)),
            ("5 MB random bytes", () => Noise(Mb5, 1)),
        ]),
    (".env: dotenv parser", ".env.example",
        t => DotenvParser.Parse(t) is var doc && doc.Diagnostics.Count > 0 ? $"{doc.Entries.Count} entries; {Outcome(doc.Diagnostics)}" : $"{doc.Entries.Count} entries",
        [
            ("5 MB value", () => "BIG=" + new string('x', Mb5) + "\nA=1\n"),
            ("5 MB of ${A:-", () => "A=" + Fill("${A:-", Mb5) + "\n"),
            ("5 MB unclosed quote", () => "A=\"" + Fill("a\\\"b ", Mb5)),
            ("5 MB random bytes", () => Noise(Mb5, 2)),
        ]),
    ("config/docker.yaml: loader and schema", "config/docker.yaml",
        t => Outcome(ContainerConfigLoader.Parse(t, "docker.yaml").Diagnostics),
        [
            ("alias bomb, 10^9 nodes if expanded", () => AliasBomb(8)),
            ("5 MB scalar", () => "container:\n  image: " + new string('x', Mb5) + "\n"),
            ("10,000 levels of nesting", () => Fill("[", 10_000) + Fill("]", 10_000) + "\n"),
            ("5 MB random bytes", () => Noise(Mb5, 3)),
        ]),
    ("secret scanner", "docker-compose.yml",
        t => Outcome(SecretScanner.ScanFile("docker-compose.yml", t, SecretScanOptions.Default).Diagnostics),
        [
            ("5 MB line with a token", () => "NEO4J_PASSWORD: " + new string('x', Mb5 / 2) + " ghp_" + new string('a', 36) + " " + Fill("${A:-", Mb5 / 2) + "\n"),
            ("20,000-line compose file", () => Fill("  svc:\n    environment:\n      - NEO4J_PASSWORD=${NEO4J_PASSWORD:?set it}\n      - LOG_LEVEL=info\n", 20_000 * 20)),
            ("5 MB random bytes", () => Noise(Mb5, 4)),
        ]),
};

double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

(double Seconds, long Bytes, string Outcome) Time(Func<string, string> read, string text)
{
    string outcome = read(text); // warm-up: JIT and regex construction are not the reader's speed
    var times = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        read(text);
        times.Add(clock.Elapsed.TotalSeconds);
    }

    return (Median(times), Encoding.UTF8.GetByteCount(text), outcome);
}

string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024.0 / 1024.0:0.0} MB" : $"{bytes / 1024.0:0.0} KB";

Console.WriteLine($"| Reader | Input | Size | Median of {runs} | Throughput | vs the sample file | Outcome |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (reader, sampleFile, read, cases) in readers)
{
    string baselineText = File.ReadAllText(Path.Combine(sample, sampleFile));
    // The real file is small: read it many times over so that the timer sees more than its resolution.
    int repeat = Math.Max(1, 1_000_000 / Math.Max(1, baselineText.Length));
    var (baseSeconds, baseBytes, baseOutcome) = Time(t => { string o = string.Empty; for (int i = 0; i < repeat; i++) { o = read(t); } return o; }, baselineText);
    double baseRate = baseBytes * (double)repeat / baseSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {reader} | the sample's {sampleFile} (x{repeat}) | {Size(baseBytes)} | {baseSeconds * 1000 / repeat:0.000} ms each | {baseRate / 1024 / 1024:0.0} MB/s | 1.00 | {baseOutcome} |"));
    foreach (var (name, make) in cases)
    {
        string text = make();
        var (seconds, bytes, outcome) = Time(read, text);
        double rate = bytes / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {reader} | {name} | {Size(bytes)} | {seconds * 1000:0.0} ms | {rate / 1024 / 1024:0.0} MB/s | {rate / baseRate:0.00} | {outcome} |"));
    }
}

// Special files: what a user can point a setting at (SbirContainerEnvFile=/dev/zero, a FIFO left by a tool, a huge
// file by mistake). Each reader must end in a code, quickly, without reading them: timed once each, in a task with a
// 10 s limit so that a regression shows as a row instead of a bench that never ends.
string special = Path.Combine(Path.GetTempPath(), "sbir-bad-input-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(special);
try
{
    string fifo = Path.Combine(special, "fifo");
    using (var mkfifo = Process.Start("mkfifo", [fifo]))
    {
        mkfifo!.WaitForExit();
    }

    string huge = Path.Combine(special, "huge");
    using (var stream = File.Create(huge))
    {
        stream.SetLength(2L << 30); // 2 GiB, sparse: nothing on disk, and nothing should be read
    }

    var inputs = new (string Name, string Path)[] { ("a FIFO with no writer", fifo), ("/dev/zero", "/dev/zero"), ("a 2 GiB file", huge), ("a folder", special) };
    var fileReaders = new (string Reader, Func<string, string> Read)[]
    {
        (".env: DotenvParser.ParseFile", path => Outcome(DotenvParser.ParseFile(path).Diagnostics)),
        ("Dockerfile: DockerfileParser.ParseFile", path => Outcome(DockerfileParser.ParseFile(path).Diagnostics)),
        ("config/docker.yaml: ContainerConfigLoader.Load", path => Outcome(ContainerConfigLoader.Load(path).Diagnostics)),
        ("compose file: ComposeFile.Load", path => Outcome(ComposeFile.Load(path, _ => null, Sbir.Container.Diagnostics.DiagnosticSeverity.Error).Diagnostics)),
        (".dockerignore: DockerIgnore.Load", path => DockerIgnore.Load(Path.GetDirectoryName(path)!, path.Replace(".dockerignore", string.Empty, StringComparison.Ordinal)) is { Error: { } e } ? Outcome([e]) : "read"),
        ("secret scan: SafeFile.Read", path => SafeFile.Read(path, 4L * 1024 * 1024) is { Error: { } e } ? Outcome([e]) : "read"),
    };

    Console.WriteLine();
    Console.WriteLine("| Reader | Special file | Time | Within 2 s | Outcome |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var (reader, read) in fileReaders)
    {
        foreach (var (name, path) in inputs)
        {
            // .dockerignore is found by name: the special file stands in for '<Dockerfile>.dockerignore'.
            string target = reader.StartsWith(".dockerignore", StringComparison.Ordinal) ? Link(path, "x.dockerignore") : path;
            var clock = Stopwatch.StartNew();
            var task = Task.Factory.StartNew(() => read(target), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            bool finished = task.Wait(TimeSpan.FromSeconds(10));
            double seconds = clock.Elapsed.TotalSeconds;
            string outcome = finished ? task.Result : "did not finish in 10 s";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {reader} | {name} | {seconds * 1000:0.0} ms | {(finished && seconds < 2 ? "yes" : "**no**")} | {outcome} |"));
        }
    }
}
finally
{
    Directory.Delete(special, recursive: true);
}

// A symbolic link named <name> in a fresh folder that points at <path>: readers that find a file by name reach it.
string Link(string path, string name)
{
    string folder = Path.Combine(special, "link-" + Guid.NewGuid().ToString("N")[..6]);
    Directory.CreateDirectory(folder);
    string link = Path.Combine(folder, name);
    File.CreateSymbolicLink(link, path);
    return link;
}

return 0;
