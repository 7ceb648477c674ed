using Sbir.Container.Diagnostics;
using Sbir.Container.Text;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Configuration;

/// <summary>The loader's answer: the configuration (possibly partial) and what was wrong with the file.</summary>
public sealed record ContainerConfigResult(ContainerConfig Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when a diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Reads the SDK's sections of config/docker.yaml (container, compose) with positions for every
/// problem. A missing file is not an error: conventions then apply. Malformed YAML is a coded
/// diagnostic naming the line, never an exception.
/// </summary>
public static class ContainerConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; returns an empty configuration when it does not exist.</summary>
    public static ContainerConfigResult Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ContainerConfigResult(ContainerConfig.Empty, []);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            return new ContainerConfigResult(ContainerConfig.Empty, [DiagnosticCatalog.ConfigUnreadable.Create(path, SourceSpan.None, ex.Message)]);
        }

        return Parse(text, Path.GetFullPath(path));
    }

    /// <summary>Parses YAML text; <paramref name="path"/> labels diagnostics.</summary>
    public static ContainerConfigResult Parse(string text, string? path)
    {
        var diagnostics = new List<Diagnostic>();
        var (stream, error) = YamlLoader.Load(text, path, DiagnosticCatalog.ConfigUnreadable);
        if (stream is null)
        {
            diagnostics.Add(error!);
            return new ContainerConfigResult(ContainerConfig.Empty with { Path = path }, diagnostics);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ContainerConfigResult(ContainerConfig.Empty with { Path = path }, diagnostics);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Add(DiagnosticCatalog.ConfigInvalid.Create(path, YamlNodes.SpanOf(stream.Documents[0].RootNode), "the top level must be a mapping (keys such as container:, compose:, environment:)"));
            return new ContainerConfigResult(ContainerConfig.Empty with { Path = path }, diagnostics);
        }

        var reader = new Reader(path, diagnostics);
        var container = reader.ReadContainer(root.Child("container"));
        var compose = reader.ReadCompose(root.Child("compose"));
        return new ContainerConfigResult(new ContainerConfig { Path = path, Container = container, Compose = compose }, diagnostics);
    }

    private sealed class Reader(string? path, List<Diagnostic> diagnostics)
    {
        public ContainerSettings ReadContainer(YamlNode? node)
        {
            if (Map(node, "container") is not { } map)
            {
                return new ContainerSettings();
            }

            var stages = Map(map.Child("stages"), "container.stages");
            return new ContainerSettings
            {
                Image = Scalar(map, "image", "container"),
                Registry = Scalar(map, "registry", "container"),
                Tags = List(map.Child("tags"), "container.tags"),
                BaseImage = Scalar(map, "baseImage", "container"),
                BaseImageArg = Scalar(map, "baseImageArg", "container"),
                Dockerfile = Scalar(map, "dockerfile", "container"),
                Context = Scalar(map, "context", "container"),
                BuilderStage = stages is null ? null : Scalar(stages, "builder", "container.stages"),
                RuntimeStage = stages is null ? null : Scalar(stages, "runtime", "container.stages"),
                TestStage = stages is null ? null : Scalar(stages, "test", "container.stages"),
                BuildArgs = Dictionary(map.Child("buildArgs"), "container.buildArgs"),
            };
        }

        public ComposeSettings ReadCompose(YamlNode? node)
        {
            if (Map(node, "compose") is not { } map)
            {
                return new ComposeSettings();
            }

            var profiles = new Dictionary<string, ComposeProfileSettings>(StringComparer.OrdinalIgnoreCase);
            if (Map(map.Child("profiles"), "compose.profiles") is { } profileMap)
            {
                foreach (var (key, value) in profileMap.Children)
                {
                    string name = key.Text() ?? string.Empty;
                    if (Map(value, $"compose.profiles.{name}") is not { } profile)
                    {
                        continue;
                    }

                    string? build = Scalar(profile, "buildImage", $"compose.profiles.{name}");
                    profiles[name] = new ComposeProfileSettings(
                        name,
                        List(profile.Child("files"), $"compose.profiles.{name}.files"),
                        List(profile.Child("profiles"), $"compose.profiles.{name}.profiles"),
                        !string.Equals(build, "false", StringComparison.OrdinalIgnoreCase));
                }
            }

            TimeSpan? wait = null;
            if (Map(map.Child("health"), "compose.health") is { } health && health.Child("waitTimeout") is { } waitNode)
            {
                if (DurationText.TryParse(waitNode.Text(), out var parsed))
                {
                    wait = parsed;
                }
                else
                {
                    Invalid(waitNode, $"compose.health.waitTimeout must be a duration such as 180s or 5m, not '{waitNode.Text()}'");
                }
            }

            return new ComposeSettings { ProjectName = Scalar(map, "projectName", "compose"), Profiles = profiles, WaitTimeout = wait };
        }

        private YamlMappingNode? Map(YamlNode? node, string where)
        {
            switch (node)
            {
                case null:
                case YamlScalarNode { Value: null or "" or "~" or "null" }:
                    return null;
                case YamlMappingNode map:
                    return map;
                default:
                    Invalid(node, $"{where} must be a mapping");
                    return null;
            }
        }

        private string? Scalar(YamlMappingNode map, string key, string where)
        {
            var node = map.Child(key);
            switch (node)
            {
                case null:
                    return null;
                case YamlScalarNode s:
                    return string.IsNullOrWhiteSpace(s.Value) || s.Value is "~" or "null" ? null : s.Value.Trim();
                default:
                    Invalid(node, $"{where}.{key} must be a single value");
                    return null;
            }
        }

        private IReadOnlyList<string> List(YamlNode? node, string where)
        {
            switch (node)
            {
                case null:
                    return [];
                case YamlScalarNode s:
                    return string.IsNullOrWhiteSpace(s.Value) ? [] : s.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                case YamlSequenceNode seq:
                    var items = new List<string>();
                    foreach (var item in seq.Children)
                    {
                        if (item is YamlScalarNode { Value: { } v } && v.Trim().Length > 0)
                        {
                            items.Add(v.Trim());
                        }
                        else
                        {
                            Invalid(item, $"{where} must be a list of values");
                        }
                    }

                    return items;
                default:
                    Invalid(node, $"{where} must be a list");
                    return [];
            }
        }

        private IReadOnlyDictionary<string, string> Dictionary(YamlNode? node, string where)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Map(node, where) is not { } map)
            {
                return result;
            }

            foreach (var (key, value) in map.Children)
            {
                if (key.Text() is { } k && value is YamlScalarNode s)
                {
                    result[k] = s.Value ?? string.Empty;
                }
                else
                {
                    Invalid(value, $"{where} must map names to single values");
                }
            }

            return result;
        }

        private void Invalid(YamlNode node, string message)
            => diagnostics.Add(DiagnosticCatalog.ConfigInvalid.Create(path, YamlNodes.SpanOf(node), message));
    }
}
