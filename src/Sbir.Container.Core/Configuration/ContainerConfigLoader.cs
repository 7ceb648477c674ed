using System.Globalization;
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
        var content = IO.SafeFile.Read(path);
        if (content.Kind == IO.FileKind.Missing)
        {
            return new ContainerConfigResult(ContainerConfig.Empty, []);
        }

        // A folder, a FIFO, a device or a file without read permission: the user's environment, named with its cause.
        return content.Succeeded
            ? Parse(content.Text, Path.GetFullPath(path))
            : new ContainerConfigResult(ContainerConfig.Empty with { Path = Path.GetFullPath(path) }, [content.Error!]);
    }

    /// <summary>
    /// What is wrong with the configuration file as a file, before its content matters: SBC0054 when the user named
    /// it (<paramref name="explicitlySet"/>, SbirContainerConfigFile) and it does not exist, SBC0055 when it exists but
    /// holds nothing (every default then comes from conventions, which is rarely what an empty file meant). A folder,
    /// a FIFO or an unreadable file is reported by <see cref="Load"/>. The first reader of a build (the targets' settings
    /// step) asks this once.
    /// </summary>
    public static Diagnostic? CheckPresence(string path, bool explicitlySet)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return explicitlySet ? DiagnosticCatalog.ConfigFileNotFound.Create(path, SourceSpan.None, path) : null;
        }

        var content = IO.SafeFile.Read(path);
        return content.Succeeded && content.Text.Trim().TrimStart('\uFEFF').Length == 0
            ? DiagnosticCatalog.ConfigFileEmpty.Create(path, SourceSpan.None, path)
            : null;
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
        var config = new ContainerConfig
        {
            Path = path,
            Container = reader.ReadContainer(root.Child("container")),
            Compose = reader.ReadCompose(root.Child("compose")),
            Test = reader.ReadTest(root.Child("test")),
            Environment = reader.ReadEnvironment(root.Child("environment")),
            SettingsKeys = reader.ReadSettingsKeys(root.Child("settings")),
            Rules = reader.ReadRules(root.Child("rules")),
        };
        return new ContainerConfigResult(config, diagnostics);
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
                RequireDigest = Scalar(map, "requireDigest", "container") is { } requireDigest && bool.TryParse(requireDigest, out bool pinned) && pinned,
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

        public TestSettings ReadTest(YamlNode? node)
        {
            if (Map(node, "test") is not { } map)
            {
                return new TestSettings();
            }

            var smoke = new List<IReadOnlyList<string>>();
            if (map.Child("smoke") is YamlSequenceNode commands)
            {
                int k = 0;
                foreach (var command in commands.Children)
                {
                    var words = List(command, $"test.smoke[{k++}]");
                    if (words.Count > 0)
                    {
                        smoke.Add(words);
                    }
                }
            }
            else if (map.Child("smoke") is { } other)
            {
                Invalid(other, "test.smoke must be a list of commands, each a list of words, for example - [dagster, definitions, validate]");
            }

            return new TestSettings { StackMarker = Scalar(map, "stackMarker", "test"), Smoke = smoke };
        }

        public EnvironmentContract ReadEnvironment(YamlNode? node)
        {
            if (Map(node, "environment") is not { } map)
            {
                return new EnvironmentContract();
            }

            var files = Map(map.Child("files"), "environment.files");
            var variables = new Dictionary<string, VariableSpec>(StringComparer.Ordinal);
            if (Map(map.Child("variables"), "environment.variables") is { } vars)
            {
                foreach (var (key, value) in vars.Children)
                {
                    string name = key.Text() ?? string.Empty;
                    if (name.Length == 0)
                    {
                        continue;
                    }

                    variables[name] = ReadVariable(name, key, value);
                }
            }

            return new EnvironmentContract
            {
                IsDeclared = true,
                EnvFile = (files is null ? null : Scalar(files, "env", "environment.files")) ?? ".env",
                ExampleFile = (files is null ? null : Scalar(files, "example", "environment.files")) ?? ".env.example",
                Prefix = Scalar(map, "prefix", "environment") ?? "SBIR_ETL__",
                Variables = variables,
            };
        }

        public IReadOnlySet<string> ReadSettingsKeys(YamlNode? node)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            if (Map(node, "settings") is { } map)
            {
                CollectKeys(map, string.Empty, keys, 0);
            }

            return keys;
        }

        public IReadOnlyDictionary<string, DiagnosticSeverity> ReadRules(YamlNode? node)
        {
            var rules = new Dictionary<string, DiagnosticSeverity>(StringComparer.OrdinalIgnoreCase);
            if (Map(node, "rules") is not { } map)
            {
                return rules;
            }

            foreach (var (key, value) in map.Children)
            {
                string code = key.Text() ?? string.Empty;
                switch (value.Text()?.Trim().ToLowerInvariant())
                {
                    case "error": rules[code] = DiagnosticSeverity.Error; break;
                    case "warning": rules[code] = DiagnosticSeverity.Warning; break;
                    case "info": rules[code] = DiagnosticSeverity.Info; break;
                    case "off": rules[code] = DiagnosticSeverity.Off; break;
                    default: Invalid(value, $"rules.{code} must be error, warning, info or off"); break;
                }
            }

            return rules;
        }

        private VariableSpec ReadVariable(string name, YamlNode key, YamlNode value)
        {
            string where = $"environment.variables.{name}";
            if (value is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return new VariableSpec { Name = name, Span = YamlNodes.SpanOf(key) };
            }

            if (Map(value, where) is not { } spec)
            {
                return new VariableSpec { Name = name, Span = YamlNodes.SpanOf(key) };
            }

            var type = VariableType.String;
            if (spec.Child("type") is { } typeNode)
            {
                if (!Enum.TryParse(typeNode.Text(), ignoreCase: true, out type) || typeNode.Text()!.Any(char.IsDigit))
                {
                    Invalid(typeNode, $"{where}.type must be one of string, int, port, bool, duration, url, enum, path, not '{typeNode.Text()}'");
                    type = VariableType.String;
                }
            }

            bool required = false;
            var profiles = new List<string>();
            switch (spec.Child("required"))
            {
                case null:
                    break;
                case YamlScalarNode s when bool.TryParse(s.Value, out bool b):
                    required = b;
                    break;
                case YamlSequenceNode:
                    profiles.AddRange(List(spec.Child("required"), where + ".required"));
                    break;
                case var other:
                    Invalid(other, $"{where}.required must be true, false or a list of profiles such as [dev, prod]");
                    break;
            }

            bool secret = spec.Child("secret") is YamlScalarNode { Value: { } sv } && bool.TryParse(sv, out bool isSecret) && isSecret;
            int minLength = 0;
            if (spec.Child("minLength") is { } minNode
                && !(minNode is YamlScalarNode { Value: { } mv } && int.TryParse(mv, NumberStyles.None, CultureInfo.InvariantCulture, out minLength)))
            {
                Invalid(minNode, $"{where}.minLength must be a whole number of characters such as 8, not '{minNode.Text()}'");
            }

            string? defaultValue = spec.Child("default") is YamlScalarNode { Value: { } dv } && dv is not ("~" or "null") ? dv : null;
            var result = new VariableSpec
            {
                Name = name,
                Type = type,
                Secret = secret,
                Required = required,
                RequiredProfiles = profiles,
                Default = defaultValue,
                Description = Scalar(spec, "description", where),
                Example = spec.Child("example") is YamlScalarNode { Value: { } ev } ? ev : null,
                Schemes = List(spec.Child("schemes"), where + ".schemes"),
                Values = List(spec.Child("values"), where + ".values"),
                MinLength = minLength,
                Span = YamlNodes.SpanOf(key),
            };

            if (secret && defaultValue is not null && defaultValue.Length > 0)
            {
                Invalid(spec.Child("default")!, $"{where} is secret, so it cannot have a default value: a default would be a committed secret");
            }

            if (type == VariableType.Enum && result.Values.Count == 0)
            {
                Invalid(spec.Child("type")!, $"{where} is an enum but lists no values: add values: [a, b]");
            }

            return result;
        }

        private static void CollectKeys(YamlMappingNode map, string prefix, HashSet<string> keys, int depth)
        {
            // Aliases are shared nodes; a depth bound keeps a self-referencing or exploding tree cheap.
            if (depth > 16)
            {
                return;
            }

            foreach (var (key, value) in map.Children)
            {
                if (key.Text() is not { Length: > 0 } name)
                {
                    continue;
                }

                string dotted = prefix.Length == 0 ? name.ToLowerInvariant() : prefix + "." + name.ToLowerInvariant();
                keys.Add(dotted);
                if (value is YamlMappingNode child && keys.Count < 10_000)
                {
                    CollectKeys(child, dotted, keys, depth + 1);
                }
            }
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
