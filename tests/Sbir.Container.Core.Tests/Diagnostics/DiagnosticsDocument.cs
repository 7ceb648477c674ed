using System.Text;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Diagnostics;

/// <summary>Writes docs/reference/diagnostics.md from <see cref="DiagnosticCatalog"/>.</summary>
internal static class DiagnosticsDocument
{
    private static readonly string[] Areas =
    [
        "SBC0xxx: the SDK, its properties and config/docker.yaml",
        "SBC1xxx: the environment contract (.env, .env.example)",
        "SBC2xxx: hardcoded secrets",
        "SBC3xxx: Dockerfile",
        "SBC4xxx: compose files",
        "SBC5xxx: engine, build and runtime faults",
        "SBC6xxx: registries, push and promotion",
        "SBC7xxx: swarm stacks (StackDeploy, StackStatus, StackRollback, StackRemove)",
    ];

    public static string Generate()
    {
        var sb = new StringBuilder();
        sb.Append("""
            # Diagnostics reference

            Every message of Sbir.Container.Sdk has a stable code, `SBC` and four digits, and is logged in
            MSBuild's canonical form, so IDEs make it clickable and GitHub Actions annotates the line:

                path/to/file(line,col): error SBC1234: What happened. How to fix it.

            The first digit is the area. Codes are never renumbered or reused. The severity of the
            validation rules (SBC1xxx to SBC4xxx) can be changed in `config/docker.yaml` under `rules:`
            (`error`, `warning`, `info` or `off`); where a rule matches a hadolint rule, its ID is given.

            This file is generated from the catalogue in `src/Sbir.Container.Core/Diagnostics/`; a unit
            test fails when the two differ (regenerate with `SBIR_UPDATE_DOCS=1 dotnet test tests/Sbir.Container.Core.Tests`).

            """.Replace("\r\n", "\n"));

        foreach (var group in DiagnosticCatalog.All.GroupBy(d => d.Area).OrderBy(g => g.Key))
        {
            string heading = group.Key >= 0 && group.Key < Areas.Length ? Areas[group.Key] : $"SBC{group.Key}xxx";
            sb.Append("\n## ").Append(heading).Append("\n\n");
            sb.Append("| Code | Rule | Default | What it says | Fix |\n|---|---|---|---|---|\n");
            foreach (var d in group)
            {
                string rule = d.Title + (d.HelpId is null ? string.Empty : $" ({d.HelpId})");
                sb.Append("| ").Append(d.Code)
                  .Append(" | ").Append(Cell(rule))
                  .Append(" | ").Append(d.DefaultSeverity.ToString().ToLowerInvariant())
                  .Append(" | ").Append(Cell(d.MessageFormat))
                  .Append(" | ").Append(Cell(d.FixFormat))
                  .Append(" |\n");
            }
        }

        return sb.ToString();
    }

    private static string Cell(string text)
        => text.Replace("|", "\\|").Replace("\n", " ").Replace("<", "&lt;").Replace(">", "&gt;");
}
