using Sbir.Container.TestKit;

[assembly: AssemblyFixture(typeof(Sbir.Container.EndToEndTests.EngineLedger))]
[assembly: TestCollectionOrderer(typeof(Sbir.Container.EndToEndTests.LedgerLast))]

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The engine's lists as the suite found them: images (dangling ones included), containers, networks
/// and volumes, taken before the first test. <see cref="EngineLedgerTests"/>, run last, compares.
/// Engine objects of the tests are named with <see cref="EngineNames"/>, so that they can be told apart.
/// </summary>
public sealed class EngineLedger
{
    private readonly HashSet<string>? _before;

    public EngineLedger()
    {
        _before = DockerEngine.Answers ? Take() : null;
    }

    /// <summary>
    /// What this run made and left: objects that were not there before and that carry an id this test
    /// process handed out (<see cref="EngineNames"/>) in their names, image references, compose project
    /// or image title. The engine is shared with other runs and users; only those objects are this run's.
    /// </summary>
    public IReadOnlyList<string> Leftovers()
    {
        if (_before is null)
        {
            return [];
        }

        var ids = EngineNames.Issued;
        return Take().Where(o => !_before.Contains(o) && ids.Any(id => o.Contains(id, StringComparison.Ordinal))).Order().ToList();
    }

    /// <summary>Every object of the engine as "kind id description", the description holding what attributes it.</summary>
    internal static HashSet<string> Take()
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        void Add(string kind, params string[] args)
        {
            foreach (string line in DockerEngine.DockerOk(args).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                all.Add(kind + " " + line.Trim());
            }
        }

        Add("container", "ps", "--all", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Image}} {{.Label \"com.docker.compose.project\"}}");
        Add("network", "network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}}");
        Add("volume", "volume", "ls", "--format", "{{.Name}} {{.Label \"com.docker.compose.project\"}}");
        Add("image", "image", "ls", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}");

        // Untagged images say whose they are only through their labels.
        string[] dangling = [.. DockerEngine.DockerOk("image", "ls", "--all", "--quiet", "--no-trunc", "--filter", "dangling=true")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];
        if (dangling.Length > 0)
        {
            // One call for all of them; an image removed meanwhile only makes the call fail for itself.
            var titles = DockerEngine.Docker(["image", "inspect", "--format", "{{.Id}} <none> title={{index .Config.Labels \"org.opencontainers.image.title\"}}", .. dangling]);
            foreach (string line in titles.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("sha256:", StringComparison.Ordinal)))
            {
                all.Add("image " + line);
            }
        }

        return all;
    }
}

/// <summary>The suite leaves the engine's lists as it found them (the last test of the run).</summary>
[Collection(Name)]
public sealed class EngineLedgerTests(EngineLedger ledger)
{
    public const string Name = "engine ledger (last)";

    [Fact]
    public void The_suite_leaves_the_engines_images_containers_networks_and_volumes_as_it_found_them()
    {
        DockerEngine.Require();
        var left = ledger.Leftovers();
        Assert.True(left.Count == 0, "The end-to-end tests left these in the engine (kind, id, names or title):\n  " + string.Join("\n  ", left));
    }
}

/// <summary>Runs the ledger's collection after every other one (collections run one at a time: xunit.runner.json).</summary>
public sealed class LedgerLast : Xunit.v3.ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : Xunit.Sdk.ITestCollection
        => [.. testCollections.OrderBy(c => c.TestCollectionDisplayName == EngineLedgerTests.Name ? 1 : 0)];
}
