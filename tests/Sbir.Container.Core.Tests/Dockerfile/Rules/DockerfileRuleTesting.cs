using System.Runtime.CompilerServices;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>Runs the rules over Dockerfile text and finds the files the tests read.</summary>
internal static class DockerfileRuleTesting
{
    /// <summary>A final stage that passes every final-stage rule; tests append the instruction under test before it or to a builder stage.</summary>
    public const string GoodFinalStage = """
        FROM python:3.11-slim AS runtime
        USER app
        HEALTHCHECK CMD ["/app/healthcheck.sh"]
        ENTRYPOINT ["/usr/bin/tini", "--", "/app/entrypoint.sh"]
        """;

    public static IReadOnlyList<Diagnostic> Check(string text, DockerfileRuleOptions? options = null)
        => DockerfileRules.Check(DockerfileParser.Parse(text, "Dockerfile"), options ?? new DockerfileRuleOptions());

    public static List<string> Codes(string text, DockerfileRuleOptions? options = null)
        => Check(text, options).Select(d => d.Code).ToList();

    /// <summary>The diagnostics with <paramref name="code"/>.</summary>
    public static List<Diagnostic> With(this IReadOnlyList<Diagnostic> diagnostics, string code)
        => diagnostics.Where(d => d.Code == code).ToList();

    /// <summary>The repository root (where sbir-container.sln is), found from the test binaries or, when they are built elsewhere (--artifacts-path), from this source file.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The folder of the rule tests' fixtures.</summary>
    public static string Fixtures { get; } = Path.Combine(RepoRoot, "tests", "Sbir.Container.Core.Tests", "Dockerfile", "Rules", "Fixtures");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? string.Empty })
        {
            for (var dir = start.Length == 0 ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "sbir-container.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("sbir-container.sln not found above " + AppContext.BaseDirectory + " or " + sourceFile);
    }
}
