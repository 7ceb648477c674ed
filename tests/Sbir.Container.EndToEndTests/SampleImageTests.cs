using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The sample's Dockerfile, .dockerignore and scripts, built for real by 'dotnet build -t:DockerBuild':
/// what the runtime image is, what it is not, and how rebuilds behave.
/// </summary>
[Collection(EngineCollection.Name)]
public class SampleImageTests : IClassFixture<SampleImageFixture>
{
    // The fixture records a missing prerequisite; skipping here shows as a skip, not as a failure.
    private readonly SampleImageFixture sample;

    public SampleImageTests(SampleImageFixture sample)
    {
        Prerequisite.SkipIf(sample.SkipReason);
        this.sample = sample;
    }

    [Fact]
    public void Cold_build_succeeds_and_ends_with_a_summary()
    {
        sample.ColdBuild.AssertSucceeded();
        Assert.Matches(@"DockerBuild: built sbir-e2e-\w+:latest \([\d.]+ [kMG]B; builder sbir-e2e-\w+-builder:latest [\d.]+ [kMG]B\) in [\d.]+ s\. Image sha256:[0-9a-f]{12}\.", sample.ColdBuild.Output);
        Assert.Contains("DockerBuild: stage 'builder'", sample.ColdBuild.Output);
    }

    [Fact]
    public void Runtime_user_is_sbir_with_uid_1000()
    {
        Assert.Equal("sbir", DockerEngine.DockerOk("image", "inspect", "--format", "{{.Config.User}}", sample.RuntimeTag));
        Assert.Equal("1000:1000 sbir", DockerEngine.DockerOk("run", "--rm", "--entrypoint", "/bin/sh", sample.RuntimeTag, "-c", "echo $(id -u):$(id -g) $(id -un)"));
    }

    [Fact]
    public void Entrypoint_starts_tini_as_pid_1()
    {
        string entrypoint = DockerEngine.DockerOk("image", "inspect", "--format", "{{json .Config.Entrypoint}}", sample.RuntimeTag);
        Assert.Equal("/usr/bin/tini", JsonSerializer.Deserialize<string[]>(entrypoint)![0]);
        // Through the real entrypoint: an unknown command passes through, and PID 1 is tini.
        Assert.Equal("tini", DockerEngine.DockerOk("run", "--rm", sample.RuntimeTag, "cat", "/proc/1/comm"));
    }

    [Fact]
    public void Runtime_image_has_no_compiler_and_no_C_headers()
    {
        string found = DockerEngine.DockerOk("run", "--rm", "--entrypoint", "/bin/sh", sample.RuntimeTag, "-c",
            "for c in gcc cc g++ c++ make; do command -v $c; done; ls /usr/include/stdio.h /usr/include/libpq-fe.h /usr/include/postgresql 2>/dev/null; true");
        Assert.Equal(string.Empty, found);
        // The builder has them: the check above can fail.
        Assert.Contains("gcc", DockerEngine.DockerOk("run", "--rm", "--entrypoint", "/bin/sh", sample.BuilderTag, "-c", "command -v gcc"));
    }

    [Fact]
    public void Oci_labels_come_from_git_and_the_project()
    {
        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(DockerEngine.DockerOk("image", "inspect", "--format", "{{json .Config.Labels}}", sample.RuntimeTag))!;
        Assert.Equal(sample.Revision, labels["org.opencontainers.image.revision"]);
        Assert.Equal("https://github.com/example/sbir-etl", labels["org.opencontainers.image.source"]);
        Assert.Equal("0.1.0", labels["org.opencontainers.image.version"]);
        Assert.Equal(sample.ImageName, labels["org.opencontainers.image.title"]);
        Assert.True(DateTimeOffset.TryParse(labels["org.opencontainers.image.created"], out var created));
        Assert.True(DateTimeOffset.UtcNow - created < TimeSpan.FromHours(2));
    }

    [Fact]
    public void No_env_value_in_any_layer_or_in_the_build_log()
    {
        Assert.DoesNotContain(sample.Secret, sample.ColdBuild.Output);
        foreach (string image in new[] { sample.RuntimeTag, sample.BuilderTag })
        {
            Assert.False(ImageContains(image, sample.Secret), $"{image} contains the .env secret");
            Assert.DoesNotContain(sample.Secret, DockerEngine.DockerOk("history", "--no-trunc", image));
            Assert.DoesNotContain(sample.Secret, DockerEngine.DockerOk("image", "inspect", image));
        }

        // The check can fail: the same search finds a value that is in a layer.
        Assert.True(ImageContains(sample.RuntimeTag, "raw_sbir_awards") || ImageContains(sample.RuntimeTag, "sbir_etl"));
    }

    [Fact]
    public void Runtime_image_is_smaller_than_the_builder_image()
    {
        long runtime = long.Parse(DockerEngine.DockerOk("image", "inspect", "--format", "{{.Size}}", sample.RuntimeTag));
        long builder = long.Parse(DockerEngine.DockerOk("image", "inspect", "--format", "{{.Size}}", sample.BuilderTag));
        Assert.True(runtime < builder, $"runtime {runtime} bytes, builder {builder} bytes");
    }

    [Fact]
    public void Unchanged_second_build_skips_docker_then_a_source_change_reuses_the_dependency_layers()
    {
        string before = Id(sample.RuntimeTag);
        var layersBefore = Layers(sample.RuntimeTag);

        var noop = sample.Build().AssertSucceeded();
        Assert.Contains("is up to date", noop.Output);
        Assert.Contains("docker was not run", noop.Output);
        Assert.DoesNotContain("DockerBuild: stage", noop.Output);
        Assert.Equal(before, Id(sample.RuntimeTag));

        string module = Path.Combine(sample.Repo.Path, "src", "sbir_etl", "_e2e_marker.py");
        File.WriteAllText(module, "MARKER = 1\n");
        try
        {
            var rebuilt = sample.Build().AssertSucceeded();
            Assert.Contains("_e2e_marker.py", rebuilt.Output);
            var layersAfter = Layers(sample.RuntimeTag);
            Assert.NotEqual(before, Id(sample.RuntimeTag));
            // Only the last layer (COPY src/) differs: the venv, scripts and config layers are reused.
            Assert.Equal(layersBefore.Count, layersAfter.Count);
            Assert.Equal(layersBefore[..^1], layersAfter[..^1]);
            Assert.NotEqual(layersBefore[^1], layersAfter[^1]);
            Assert.Matches(@"RUN poetry install --only main --no-root[^\n]*\n\s*(#\d+ sha256:\w+\n\s*)?#\d+ CACHED", rebuilt.Output);
        }
        finally
        {
            File.Delete(module);
        }
    }

    private static string Id(string image) => DockerEngine.DockerOk("image", "inspect", "--format", "{{.Id}}", image);

    private static List<string> Layers(string image)
        => JsonSerializer.Deserialize<List<string>>(DockerEngine.DockerOk("image", "inspect", "--format", "{{json .RootFS.Layers}}", image))!;

    /// <summary>Searches every file of every layer of <paramref name="image"/> (docker save) for <paramref name="text"/>.</summary>
    internal static bool ImageContains(string image, string text)
    {
        string tar = Path.Combine(Path.GetTempPath(), "sbir-save-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            DockerEngine.DockerOk("save", "-o", tar, image);
            byte[] needle = Encoding.UTF8.GetBytes(text);
            using var outer = new TarReader(File.OpenRead(tar));
            while (outer.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null)
                {
                    continue;
                }

                using var data = new MemoryStream();
                entry.DataStream.CopyTo(data);
                if (entry.Name.EndsWith("layer.tar", StringComparison.Ordinal))
                {
                    data.Position = 0;
                    using var layer = new TarReader(data);
                    while (layer.GetNextEntry() is { } file)
                    {
                        if (file.DataStream is not null && Contains(file.DataStream, needle))
                        {
                            return true;
                        }
                    }
                }
                else if (data.ToArray().AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            File.Delete(tar);
        }
    }

    private static bool Contains(Stream stream, byte[] needle)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf(needle) >= 0;
    }
}

/// <summary>End-to-end tests share one engine and run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineCollection
{
    public const string Name = "engine";
}
