using Sbir.Container.Diagnostics;

namespace Sbir.Container.Secrets;

/// <summary>What a scan found.</summary>
/// <param name="Diagnostics">One diagnostic per secret value (SBC2001 to SBC2007), plus an Info SBC2099 per suppressed finding,
/// in file order. Messages give lengths and places, never values.</param>
/// <param name="DetectedValues">Every secret value found (suppressed ones included), distinct, so that the caller registers
/// them with the <see cref="SecretMasker"/> before anything else is logged.</param>
public sealed record SecretScanResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> DetectedValues)
{
    /// <summary>Nothing found.</summary>
    public static SecretScanResult Empty { get; } = new([], []);
}
