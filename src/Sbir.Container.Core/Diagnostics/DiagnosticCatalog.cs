namespace Sbir.Container.Diagnostics;

/// <summary>
/// The one catalogue of user-facing diagnostics. Each area keeps its entries in its own partial file
/// (DiagnosticCatalog.Sdk.cs, .Engine.cs, ...). Code ranges:
/// <list type="bullet">
/// <item>SBC0xxx: the SDK itself, its properties and items, config/docker.yaml</item>
/// <item>SBC1xxx: the environment contract (.env, .env.example)</item>
/// <item>SBC2xxx: hardcoded secrets</item>
/// <item>SBC3xxx: Dockerfile</item>
/// <item>SBC4xxx: compose files</item>
/// <item>SBC5xxx: engine, build and runtime faults (50xx engine, 51xx image build, 52xx compose runtime, 53xx tests in containers)</item>
/// <item>SBC6xxx: registries, push and promotion</item>
/// <item>SBC7xxx: swarm stacks (StackDeploy, StackStatus, StackRollback, StackRemove)</item>
/// </list>
/// Codes are never reused or renumbered; a retired rule keeps its code.
/// </summary>
public static partial class DiagnosticCatalog
{
    // Reading this field has run the class's static initialisation, which makes every descriptor of every partial file.
    private static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> AllDescriptors = new(() =>
        DiagnosticDescriptor.AllMade.OrderBy(d => d.Code, StringComparer.Ordinal).ToList());

    private static readonly Lazy<Dictionary<string, DiagnosticDescriptor>> ByCode = new(() =>
        All.GroupBy(d => d.Code, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Every descriptor, ordered by code.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => AllDescriptors.Value;

    /// <summary>Finds a descriptor by its code, or null.</summary>
    public static DiagnosticDescriptor? Find(string code)
        => ByCode.Value.TryGetValue(code, out var descriptor) ? descriptor : null;
}
