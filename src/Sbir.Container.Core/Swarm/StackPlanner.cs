using System.Text.Json;
using System.Text.Json.Nodes;
using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;
using Sbir.Container.Text;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Swarm;

/// <summary>
/// Renders a profile's compose files into what docker stack deploy accepts. Stack deploy ignores
/// compose profiles, <c>depends_on</c> conditions, <c>build:</c> and <c>.env</c>, so the SDK resolves
/// every variable itself (the environment first, then .env, as compose does), keeps only the services
/// of the enabled compose profiles, says which settings the swarm ignores (SBC7001), pins the
/// application image by the digest DockerPush recorded, turns every environment entry that carries a
/// secret into a swarm secret read through NAME_FILE, and adds the SDK's swarm defaults
/// (<see cref="StackPolicy"/>) where the files say nothing under <c>deploy:</c>.
/// </summary>
public static class StackPlanner
{
    /// <summary>Service keys copied to the stack as they are (after interpolation): stack deploy applies them.</summary>
    private static readonly HashSet<string> Copied = new(StringComparer.Ordinal)
    {
        "command", "entrypoint", "healthcheck", "labels", "ports", "networks", "stop_grace_period", "stop_signal", "user",
        "working_dir", "hostname", "domainname", "dns", "dns_search", "extra_hosts", "init", "logging", "read_only",
        "stdin_open", "tty", "ulimits", "sysctls", "cap_add", "cap_drop", "expose", "configs", "secrets", "credential_spec", "isolation",
    };

    /// <summary>Service keys the planner turns into something else.</summary>
    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal) { "image", "environment", "env_file", "volumes", "deploy", "restart", "profiles" };

    /// <summary>Health-check keys of compose file format 3.8; newer ones (start_interval) are dropped.</summary>
    private static readonly HashSet<string> HealthcheckKeys = new(StringComparer.Ordinal) { "test", "interval", "timeout", "retries", "start_period", "disable" };

    /// <summary>Plans the stack.</summary>
    public static StackPlan Plan(StackPlanInput input)
    {
        var diagnostics = new List<Diagnostic>();
        var files = input.Files.Select(f => ComposeFile.Load(f, input.Lookup, DiagnosticSeverity.Error)).ToList();
        try
        {
            foreach (var file in files)
            {
                diagnostics.AddRange(file.Diagnostics);
            }

            if (files.Any(f => f.Document is null) || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return new StackPlan(null, diagnostics, [], []);
            }

            return new Planner(input, files, diagnostics).Run();
        }
        finally
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }
    }

    private sealed class Planner(StackPlanInput input, IReadOnlyList<ComposeFile> files, List<Diagnostic> diagnostics)
    {
        private readonly ComposeProject _project = ComposeProject.Merge(input.ProfileName, files);
        private readonly Dictionary<string, StackSecret> _secrets = new(StringComparer.Ordinal);
        private readonly List<PlannedService> _planned = [];
        private readonly bool _requireDigest = input.RequireDigest ?? input.NodeCount > 1;

        public StackPlan Run()
        {
            var volumes = TopLevel("volumes");
            var deployed = new List<ComposeService>();
            foreach (var service in _project.Services.Values)
            {
                var profiles = service.ServiceProfiles;
                if (profiles.Count > 0 && !profiles.Intersect(input.ComposeProfiles, StringComparer.Ordinal).Any())
                {
                    var at = service.Properties["profiles"];
                    diagnostics.Add(DiagnosticCatalog.StackSettingIgnored.Create(at.File.Path, at.File.SpanOf(at.Pointer, key: true), "profiles", service.Name,
                        $"a stack has no compose profiles, so the service (profile {string.Join(", ", profiles)}) is not deployed",
                        "Run a one-off job like it with 'docker compose run' on a host, or give it a profile of its own in config/docker.yaml."));
                    continue;
                }

                deployed.Add(service);
            }

            var services = new JsonObject();
            foreach (var service in deployed)
            {
                services[service.Name] = Service(service, volumes);
            }

            CheckSecretsOutsideEnvironment(deployed);
            CheckDagsterStorage(deployed);

            var document = new JsonObject { ["version"] = StackFile.Version, ["services"] = services };
            foreach (var (kind, entries) in new[] { ("volumes", volumes), ("networks", TopLevel("networks")), ("secrets", TopLevel("secrets")), ("configs", TopLevel("configs")) })
            {
                if (entries.Count > 0)
                {
                    var map = new JsonObject();
                    foreach (var (name, definition) in entries)
                    {
                        map[name] = kind is "secrets" or "configs" ? FileBased(definition) : JsonNode.Parse(definition.GetRawText());
                    }

                    document[kind] = map;
                }
            }

            return new StackPlan(document, diagnostics, _planned, _secrets.Values.ToList());
        }

        private JsonObject Service(ComposeService service, IReadOnlyDictionary<string, JsonElement> volumes)
        {
            var result = new JsonObject();
            string image = Image(service);
            result["image"] = image;

            foreach (var (key, value) in service.Properties)
            {
                if (Copied.Contains(key))
                {
                    result[key] = key == "healthcheck" ? Healthcheck(service, value) : JsonNode.Parse(value.Value.GetRawText());
                }
                else if (!Handled.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                {
                    diagnostics.Add(Ignored(service, key, value));
                }
            }

            var environment = Environment(service, result);
            if (environment.Count > 0)
            {
                result["environment"] = environment;
            }

            var mounts = Mounts(service);
            if (mounts.Count > 0)
            {
                result["volumes"] = mounts;
            }

            bool hostPorts = false;
            if (result["ports"] is JsonArray ports)
            {
                (result["ports"], hostPorts) = Ports(service, ports);
            }

            bool nodeBound = StackPolicy.IsNodeBound(service, volumes);
            string order = StackPolicy.UpdateOrder(service, hostPorts);
            var monitor = StackPolicy.Monitor(service);
            result["deploy"] = Deploy(service, nodeBound, order, monitor);
            _planned.Add(new PlannedService(service.Name, image, PinnedBy(service, image), order, monitor, nodeBound));
            return result;
        }

        private Diagnostic Ignored(ComposeService service, string key, ComposeValue at)
        {
            var (why, fix) = key switch
            {
                "depends_on" => ("swarm starts every service at once, without waiting for a dependency to be healthy", "Nothing to do when the service waits for what it needs itself, as the sample's entrypoints wait for Neo4j (SERVICE_STARTUP_TIMEOUT)."),
                "build" => ("a stack runs images; it builds nothing", "Build and push the image first (dotnet build -t:DockerPush); StackDeploy pins the pushed digest."),
                "container_name" => ("swarm names the tasks itself (STACK_SERVICE.SLOT.ID)", "Find a task's container with 'docker ps --filter label=com.docker.swarm.service.name=STACK_SERVICE'."),
                _ => ("docker stack deploy does not apply it to swarm services", "Remove it from the profile's compose files if the service needs it to work, or accept that the stack runs without it."),
            };
            return DiagnosticCatalog.StackSettingIgnored.Create(at.File.Path, at.File.SpanOf(at.Pointer, key: true), key, service.Name, why, fix);
        }

        private string Image(ComposeService service)
        {
            string image = service.Image ?? string.Empty;
            if (ImageReference.DigestOf(image) is not null || !IsApp(service))
            {
                return image;
            }

            if (input.PushedReference is { } pushed && ImageReference.RepositoryOf(image) == ImageReference.RepositoryOf(pushed)
                && input.AppTags.Contains(ImageReference.TagOf(image) ?? "latest", StringComparer.Ordinal))
            {
                return pushed;
            }

            var at = service.Properties["image"];
            diagnostics.Add(_requireDigest
                ? DiagnosticCatalog.StackImageNotPinned.Create(at.File.Path, at.File.SpanOf(at.Pointer), service.Name, image,
                    input.NodeCount > 1 ? $" on a swarm of {input.NodeCount} nodes, where each node resolves the tag for itself and may run other bytes" : " (SbirStackRequireDigest=true)",
                    input.ImageVariable)
                : DiagnosticCatalog.StackImageLocal.Create(at.File.Path, at.File.SpanOf(at.Pointer), service.Name, image, ImageReference.RepositoryOf(image)));
            return image;
        }

        private bool IsApp(ComposeService service)
        {
            if (!service.Properties.TryGetValue("image", out var at))
            {
                return false;
            }

            string? raw = at.File.RawAt(at.Pointer);
            return raw is not null && Interpolation.References(raw).Any(r => r.Name == input.ImageVariable)
                || input.AppRepository is { Length: > 0 } app && ImageReference.RepositoryOf(service.Image ?? string.Empty) == app;
        }

        private static string? PinnedBy(ComposeService service, string image)
            => ImageReference.DigestOf(image) is null ? null : ImageReference.DigestOf(service.Image ?? string.Empty) is null ? "DockerPush" : "digest";

        /// <summary>
        /// The service's environment without secret values: an entry whose value interpolates a secret
        /// variable, or whose own name says it is a secret, becomes a swarm secret mounted at
        /// /run/secrets/NAME and the entry NAME_FILE pointing there (the docker-library convention the
        /// sample's entrypoint follows; Neo4j 5.24+ reads NEO4J_AUTH_FILE).
        /// </summary>
        private JsonObject Environment(ComposeService service, JsonObject result)
        {
            var entries = new List<(string Name, string Value, bool Secret)>();
            foreach (var file in EnvFiles(service))
            {
                foreach (var (name, value) in DotenvParser.ParseFile(file, input.Lookup).Values)
                {
                    entries.Add((name, value, input.Contract.IsSecret(name) && value.Length > 0));
                }
            }

            foreach (var (name, (value, at)) in service.Environment)
            {
                // A bare NAME takes its value from the environment of the deploying process, as compose does.
                if ((value ?? input.Lookup(name)) is not { } resolved)
                {
                    continue;
                }

                string? raw = at.File.RawAt(at.Pointer);
                bool fromSecret = raw is not null && Interpolation.References(raw).Any(r => input.Contract.IsSecret(r.Name));
                entries.RemoveAll(e => e.Name == name);
                // An empty value reveals nothing and cannot be a swarm secret (docker refuses empty ones).
                entries.Add((name, resolved, (fromSecret || input.Contract.IsSecret(name)) && resolved.Length > 0));
            }

            var environment = new JsonObject();
            var mounted = new JsonArray();
            foreach (var (name, value, secret) in entries)
            {
                if (!secret)
                {
                    environment[name] = value;
                    continue;
                }

                var stackSecret = Secret(service.Name, name, value);
                stackSecret.IsNeo4jInitialPassword |= service.IsNeo4j && name == "NEO4J_AUTH";
                environment[name + "_FILE"] = "/run/secrets/" + name;
                mounted.Add(new JsonObject { ["source"] = stackSecret.Key, ["target"] = name });
            }

            if (mounted.Count > 0)
            {
                var existing = result["secrets"] as JsonArray ?? new JsonArray();
                foreach (var entry in mounted)
                {
                    existing.Add(entry!.DeepClone());
                }

                result["secrets"] = existing;
            }

            return environment;
        }

        private StackSecret Secret(string service, string name, string value)
        {
            // One secret per variable and value; a variable with another value in another service gets its own.
            var same = _secrets.Values.FirstOrDefault(s => s.Target == name && s.Value == value);
            if (same is null)
            {
                string key = _secrets.ContainsKey(name) ? $"{service}_{name}" : name;
                same = new StackSecret(key, name, value);
                _secrets[key] = same;
            }

            same.Services.Add(service);
            return same;
        }

        private IEnumerable<string> EnvFiles(ComposeService service)
        {
            if (!service.Properties.TryGetValue("env_file", out var envFile))
            {
                yield break;
            }

            var paths = envFile.Value.ValueKind switch
            {
                JsonValueKind.String => [envFile.Value.GetString()!],
                JsonValueKind.Array => envFile.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("path", out var p) ? p.GetString() : null).OfType<string>().ToList(),
                _ => new List<string>(),
            };
            foreach (string path in paths)
            {
                string full = Path.GetFullPath(path, input.ProjectDirectory);
                if (File.Exists(full))
                {
                    yield return full;
                }
            }
        }

        private JsonArray Mounts(ComposeService service)
        {
            var list = new JsonArray();
            foreach (var mount in service.Mounts.Values)
            {
                var item = Item(mount.At);
                if (mount.Type == "bind" && mount.Source is { } source)
                {
                    string absolute = Path.GetFullPath(source.StartsWith('~') ? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + source[1..] : source, input.ProjectDirectory);
                    if (input.NodeCount > 1)
                    {
                        diagnostics.Add(DiagnosticCatalog.StackBindMount.Create(mount.At.File.Path, mount.At.File.SpanOf(mount.At.Pointer), service.Name, absolute, input.NodeCount, input.DataLabel));
                    }

                    if (item is JsonObject map)
                    {
                        map["source"] = absolute;
                    }
                    else
                    {
                        string text = item?.GetValue<string>() ?? string.Empty;
                        item = absolute + text[source.Length..];
                    }
                }

                list.Add(item);
            }

            return list;
        }

        private static JsonNode? Item(ComposeValue at)
        {
            int index = int.Parse(at.Pointer[(at.Pointer.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return JsonNode.Parse(at.Value[index].GetRawText());
        }

        private JsonNode Healthcheck(ComposeService service, ComposeValue value)
        {
            var result = new JsonObject();
            foreach (var property in value.Value.EnumerateObject())
            {
                if (HealthcheckKeys.Contains(property.Name))
                {
                    result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
                else
                {
                    diagnostics.Add(DiagnosticCatalog.StackSettingIgnored.Create(value.File.Path, value.File.SpanOf(value.Pointer + "/" + YamlJson.Escape(property.Name), key: true), "healthcheck." + property.Name, service.Name,
                        $"compose file format {StackFile.Version}, the newest docker stack deploy reads, has no such key", "Nothing to do unless the service depends on it; the other health-check settings apply."));
                }
            }

            return result;
        }

        /// <summary>
        /// The published ports; with the dnsrr endpoint mode each in long syntax with mode host, as swarm
        /// requires there. Returns whether any port is published on the node's own address.
        /// </summary>
        private (JsonArray Ports, bool HostMode) Ports(ComposeService service, JsonArray ports)
        {
            bool dnsrr = input.EndpointMode == "dnsrr";
            bool hostMode = false;
            var result = new JsonArray();
            foreach (var port in ports)
            {
                var item = port?.DeepClone();
                if (item is JsonObject map)
                {
                    if (dnsrr && map["published"] is not null)
                    {
                        map["mode"] = "host";
                    }

                    hostMode |= map["mode"]?.GetValue<string>() == "host";
                }
                else if (dnsrr && item is JsonValue value && value.GetValueKind() == JsonValueKind.String && Published(value.GetValue<string>()) is { } published)
                {
                    item = published;
                    hostMode = true;
                }

                result.Add(item);
            }

            return (result, hostMode);
        }

        /// <summary>"[IP:]PUBLISHED:TARGET[/PROTOCOL]" in long syntax with mode host; null for a port that is not published or a range.</summary>
        private static JsonObject? Published(string text)
        {
            string[] protocol = text.Split('/');
            string[] parts = protocol[0].Split(':');
            if (parts.Length < 2 || !int.TryParse(parts[^2], out int published) || !int.TryParse(parts[^1], out int target))
            {
                return null;
            }

            return new JsonObject { ["target"] = target, ["published"] = published, ["protocol"] = protocol.Length > 1 ? protocol[1] : "tcp", ["mode"] = "host" };
        }

        private JsonObject Deploy(ComposeService service, bool nodeBound, string order, TimeSpan monitor)
        {
            var deploy = service.Properties.TryGetValue("deploy", out var given) && given.Value.ValueKind == JsonValueKind.Object
                ? (JsonObject)JsonNode.Parse(given.Value.GetRawText())!
                : new JsonObject();
            if (input.EndpointMode == "dnsrr" && !deploy.ContainsKey("endpoint_mode"))
            {
                deploy["endpoint_mode"] = "dnsrr";
            }

            if (service.IsNeo4j && deploy["replicas"] is JsonValue replicas && replicas.GetValueKind() == JsonValueKind.Number && replicas.GetValue<int>() > 1)
            {
                diagnostics.Add(DiagnosticCatalog.StackNeo4jReplicas.Create(given!.File.Path, given.File.SpanOf(given.Pointer + "/replicas"), service.Name, replicas.GetValue<int>()));
            }

            if (nodeBound)
            {
                var placement = deploy["placement"] as JsonObject ?? new JsonObject();
                var constraints = placement["constraints"] as JsonArray ?? new JsonArray();
                // A constraint that already names one node (by id, hostname or this label) wins.
                if (!constraints.Select(c => c?.GetValue<string>() ?? string.Empty).Any(c => c.StartsWith("node.id", StringComparison.Ordinal) || c.StartsWith("node.hostname", StringComparison.Ordinal) || c.StartsWith("node.labels." + input.DataLabel, StringComparison.Ordinal)))
                {
                    constraints.Add($"node.labels.{input.DataLabel} == true");
                }

                placement["constraints"] = constraints;
                deploy["placement"] = placement;
            }

            string interval = DurationText.Format(TimeSpan.FromSeconds(Math.Ceiling(monitor.TotalSeconds)));
            deploy["update_config"] = Defaults(deploy["update_config"], new JsonObject
            {
                ["parallelism"] = 1,
                ["order"] = order,
                ["failure_action"] = "rollback",
                ["monitor"] = interval,
                ["max_failure_ratio"] = 0,
            });
            deploy["rollback_config"] = Defaults(deploy["rollback_config"], new JsonObject
            {
                ["parallelism"] = 1,
                ["order"] = order,
                ["failure_action"] = "pause",
                ["monitor"] = interval,
            });

            string? restart = service.Properties.TryGetValue("restart", out var r) && r.Value.ValueKind == JsonValueKind.String ? r.Value.GetString() : null;
            var (condition, attempts) = StackPolicy.RestartPolicy(restart);
            var policy = new JsonObject { ["condition"] = condition, ["delay"] = "5s" };
            if (attempts is { } n)
            {
                policy["max_attempts"] = n;
            }

            deploy["restart_policy"] = Defaults(deploy["restart_policy"], policy);
            return deploy;
        }

        /// <summary>The compose file's own values, with the SDK's defaults for the keys it does not set.</summary>
        private static JsonObject Defaults(JsonNode? given, JsonObject defaults)
        {
            if (given is JsonObject own)
            {
                var merged = (JsonObject)own.DeepClone();
                foreach (var (key, value) in defaults)
                {
                    if (!merged.ContainsKey(key))
                    {
                        merged[key] = value?.DeepClone();
                    }
                }

                return merged;
            }

            return defaults;
        }

        /// <summary>SBC7003: a secret variable interpolated anywhere in a deployed service but its environment.</summary>
        private void CheckSecretsOutsideEnvironment(IReadOnlyList<ComposeService> deployed)
        {
            var names = deployed.Select(s => "/services/" + YamlJson.Escape(s.Name) + "/").ToList();
            foreach (var file in files)
            {
                // A scalar written once can sit under several pointers (an anchor merged into services).
                var pointers = new Dictionary<YamlNode, List<string>>(ReferenceEqualityComparer.Instance);
                foreach (var (pointer, node) in file.Document!.Nodes)
                {
                    if (!pointers.TryGetValue(node, out var at))
                    {
                        pointers[node] = at = [];
                    }

                    at.Add(pointer);
                }

                foreach (var node in file.References.Where(r => input.Contract.IsSecret(r.Reference.Name)).GroupBy(r => r.Node, ReferenceEqualityComparer.Instance))
                {
                    var (reference, scalar) = node.First();
                    foreach (string pointer in pointers.TryGetValue(scalar, out var list) ? list : [])
                    {
                        string? service = names.FirstOrDefault(n => pointer.StartsWith(n, StringComparison.Ordinal));
                        string rest = service is null ? string.Empty : pointer[service.Length..];
                        if (service is null || rest.StartsWith("environment", StringComparison.Ordinal) || rest.StartsWith("image", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        diagnostics.Add(DiagnosticCatalog.StackSecretOutsideEnvironment.Create(file.Path, YamlNodes.SpanOf(scalar), reference.Name, rest.Split('/')[0], service["/services/".Length..^1]));
                        break;
                    }
                }
            }
        }

        /// <summary>SBC7004: Dagster services on several nodes need storage that every node reaches.</summary>
        private void CheckDagsterStorage(IReadOnlyList<ComposeService> deployed)
        {
            if (input.NodeCount <= 1)
            {
                return;
            }

            var dagster = deployed.FirstOrDefault(s => s.Environment.ContainsKey("DAGSTER_HOME") || s.Runs("dagster-webserver") || s.Runs("dagster-daemon"));
            if (dagster is null)
            {
                return;
            }

            var (storage, error) = DagsterStorage.Read(input.DagsterConfig);
            if (error is not null)
            {
                diagnostics.Add(error);
                return;
            }

            if (storage.Kind == DagsterStorageKind.Database)
            {
                return;
            }

            if (storage.File is not null)
            {
                diagnostics.Add(DiagnosticCatalog.StackDagsterSqlite.Create(storage.File, storage.Span, storage.Describe, input.NodeCount));
            }
            else
            {
                var at = dagster.Environment.TryGetValue("DAGSTER_HOME", out var home) ? home.At : dagster.Properties.Values.First();
                diagnostics.Add(DiagnosticCatalog.StackDagsterSqlite.Create(at.File.Path, at.File.SpanOf(at.Pointer), storage.Describe, input.NodeCount));
            }
        }

        private IReadOnlyDictionary<string, JsonElement> TopLevel(string kind)
        {
            var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (file.Document!.Root.ValueKind == JsonValueKind.Object && file.Document.Root.TryGetProperty(kind, out var map) && map.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in map.EnumerateObject())
                    {
                        entries[entry.Name] = entry.Value.Clone();
                    }
                }
            }

            return entries;
        }

        /// <summary>A top-level secret or config: a file path made absolute (the stack file lives elsewhere).</summary>
        private JsonNode? FileBased(JsonElement definition)
        {
            var node = JsonNode.Parse(definition.GetRawText());
            if (node is JsonObject map && map["file"] is JsonValue file && file.GetValueKind() == JsonValueKind.String)
            {
                map["file"] = Path.GetFullPath(file.GetValue<string>(), input.ProjectDirectory);
            }

            return node;
        }
    }
}
