using System.IO.Compression;
using System.Xml.Linq;
using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>The package carries exactly what an MSBuild SDK needs, and nothing MSBuild itself provides.</summary>
public class PackageLayoutTests
{
    [Fact]
    public void Package_has_the_sdk_files_and_the_task_assembly_with_its_dependencies()
    {
        using var zip = ZipFile.OpenRead(RepoPaths.Package);
        var files = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/") && !n.StartsWith("package/") && n != "[Content_Types].xml").Order().ToList();

        Assert.Contains("Sdk/Sdk.props", files);
        Assert.Contains("Sdk/Sdk.targets", files);
        Assert.Contains("build/Sbir.Container.Sdk.props", files);
        Assert.Contains("build/Sbir.Container.Sdk.targets", files);
        Assert.Contains("build/Sbir.Container.Swarm.targets", files);
        Assert.Contains("README.md", files);
        string[] tasks = ["Sbir.Container.Tasks.dll", "Sbir.Container.Core.dll", "YamlDotNet.dll", "JsonSchema.Net.dll", "Sbir.Container.Tasks.deps.json"];
        Assert.All(tasks, t => Assert.Contains("tasks/net8.0/" + t, files));
        Assert.All(tasks, t => Assert.Contains("tasks/net10.0/" + t, files));
        Assert.DoesNotContain(files, f => f.Contains("ReadyToRun", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("Microsoft.Build", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public void Nuspec_declares_an_MSBuildSdk_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(RepoPaths.Package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("Sbir.Container.Sdk", metadata.Element(ns + "id")!.Value);
        Assert.Equal("MSBuildSdk", metadata.Element(ns + "packageTypes")!.Element(ns + "packageType")!.Attribute("name")!.Value);
        Assert.Null(metadata.Element(ns + "dependencies"));
    }

    [Fact]
    public void The_net10_task_assemblies_are_precompiled_for_that_runtime_and_the_net8_ones_are_IL()
    {
        using var zip = ZipFile.OpenRead(RepoPaths.Package);
        // A ReadyToRun image carries its native code in a managed native header; the runtime uses it only when the IL
        // targets the runtime's own major version (System.Runtime 10.0 for tasks/net10.0).
        (bool ReadyToRun, Version? Runtime) Inspect(string name)
        {
            using var stream = new MemoryStream();
            using (var entry = zip.GetEntry(name)!.Open())
            {
                entry.CopyTo(stream);
            }

            stream.Position = 0;
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var runtime = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference)
                .FirstOrDefault(r => metadata.GetString(r.Name) == "System.Runtime").Version;
            return (pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, runtime);
        }

        foreach (string assembly in new[] { "Sbir.Container.Tasks.dll", "Sbir.Container.Core.dll" })
        {
            var net10 = Inspect("tasks/net10.0/" + assembly);
            Assert.True(net10.ReadyToRun, assembly);
            Assert.Equal(10, net10.Runtime?.Major);
            var net8 = Inspect("tasks/net8.0/" + assembly);
            Assert.False(net8.ReadyToRun, assembly);
            Assert.Equal(8, net8.Runtime?.Major);
        }
    }
}

/// <summary>The 'dotnet new' template package: its template with the dotfiles, and the SDK version it names.</summary>
public class TemplatePackageLayoutTests
{
    [Fact]
    public void The_template_package_holds_the_template_with_its_dotfiles_and_names_this_SDK_version()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(RepoPaths.TemplatesPackage);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string file in new[] { ".template.config/template.json", "MyPipeline.proj", "Dockerfile", ".dockerignore", ".gitignore", ".gitattributes", ".env.example", "dotenv", "scripts/docker/entrypoint.sh", "config/docker.yaml" })
        {
            Assert.Contains("content/sbir-container/" + file, entries);
        }

        Assert.DoesNotContain(entries, e => e.Contains("__pycache__", StringComparison.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("content/sbir-container/.template.config/template.json")!.Open());
        using var json = System.Text.Json.JsonDocument.Parse(reader.ReadToEnd());
        Assert.Equal(RepoPaths.SdkVersion, json.RootElement.GetProperty("symbols").GetProperty("sdkVersion").GetProperty("defaultValue").GetString());
        Assert.Equal("sbir-container", json.RootElement.GetProperty("shortName").GetString());
    }
}
