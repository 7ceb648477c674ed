using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Fakes;

/// <summary>
/// A stand-in for the docker CLI at the process level, for unit tests of the orchestration only (the
/// end-to-end tests use the real engine): an image store, "docker version", "buildx version",
/// "image inspect" and "build" that tags a new image ID and writes --iidfile.
/// </summary>
internal sealed class FakeDocker : IProcessRunner
{
    private int _nextId = 1;

    public Dictionary<string, string> Images { get; } = new(StringComparer.Ordinal);

    public string ClientVersion { get; set; } = "20.10.24";

    public bool HasBuildx { get; set; }

    public bool DaemonUp { get; set; } = true;

    /// <summary>When set, the next builds print these lines and exit with code 1.</summary>
    public string? FailingBuildOutput { get; set; }

    public List<ProcessSpec> Calls { get; } = [];

    public IEnumerable<ProcessSpec> Builds => Calls.Where(c => c.Arguments.Contains("build"));

    public Task<ProcessResult> RunAsync(ProcessSpec spec, IProcessObserver? observer = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(spec);
        var a = spec.Arguments;
        ProcessResult result;
        if (!DaemonUp && !(a.Count > 0 && a[0] == "buildx"))
        {
            result = ScriptedProcessRunner.Result(1, a.Count > 0 && a[0] == "version" ? $$$"""{"Client":{"Version":"{{{ClientVersion}}}","ApiVersion":"1.41"},"Server":null}""" : "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
        }
        else if (a is ["version", ..])
        {
            result = a.Contains("{{.Client.Version}}")
                ? ScriptedProcessRunner.Result(0, ClientVersion)
                : ScriptedProcessRunner.Result(0, $$$"""{"Client":{"Version":"{{{ClientVersion}}}","ApiVersion":"1.41","Context":"default"},"Server":{"Version":"20.10.24"}}""");
        }
        else if (a is ["buildx", "version"])
        {
            result = HasBuildx ? ScriptedProcessRunner.Result(0, "github.com/docker/buildx v0.12.0") : ScriptedProcessRunner.Result(1, "", "docker: 'buildx' is not a docker command.");
        }
        else if (a is ["image", "inspect", "--format", "{{.Id}}", ..])
        {
            var refs = a.Skip(4).ToList();
            var found = refs.Where(Images.ContainsKey).Select(r => Images[r]).ToList();
            var missing = refs.Where(r => !Images.ContainsKey(r)).ToList();
            result = ScriptedProcessRunner.Result(missing.Count == 0 ? 0 : 1, string.Join("\n", found), string.Join("\n", missing.Select(m => "Error: No such image: " + m)));
        }
        else if (a is ["image", "inspect", "--format", "{{.Size}}", var reference])
        {
            result = Images.ContainsValue(reference) || Images.ContainsKey(reference) ? ScriptedProcessRunner.Result(0, "123456789") : ScriptedProcessRunner.Result(1, "", "Error: No such image");
        }
        else if (a is ["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"])
        {
            result = ScriptedProcessRunner.Result(0, string.Join("\n", Images.Keys.Where(k => !k.StartsWith("sha256:", StringComparison.Ordinal))));
        }
        else if (a.Contains("build"))
        {
            result = Build(spec);
        }
        else
        {
            throw new InvalidOperationException("FakeDocker does not know: " + spec.Display);
        }

        foreach (string line in result.StandardOutput)
        {
            observer?.OnLine(line, false);
        }

        foreach (string line in result.StandardError)
        {
            observer?.OnLine(line, true);
        }

        return Task.FromResult(result);
    }

    private ProcessResult Build(ProcessSpec spec)
    {
        if (FailingBuildOutput is not null)
        {
            return ScriptedProcessRunner.Result(1, "", FailingBuildOutput);
        }

        var a = spec.Arguments;
        string id = $"sha256:{_nextId++:x64}";
        for (int i = 0; i < a.Count - 1; i++)
        {
            if (a[i] == "--tag")
            {
                Images[a[i + 1]] = id;
            }

            if (a[i] == "--iidfile")
            {
                File.WriteAllText(a[i + 1], id);
            }
        }

        return ScriptedProcessRunner.Result(0, $"#1 [internal] load build definition from Dockerfile\n#9 writing image {id} done");
    }
}
