namespace Sbir.Container.Diagnostics;

// SBC53xx: tests run in containers (DockerTest).
public static partial class DiagnosticCatalog
{
    /// <summary>One failing test, at its file and line.</summary>
    public static readonly DiagnosticDescriptor TestFailed = new(
        "SBC5301", "Test failed", DiagnosticSeverity.Error,
        "Test {0} failed in the container: {1}",
        "Fix the test or the code; run it alone with -p:SbirTestFilter=\"{2}\". The full report is {3}.");

    /// <summary>A service of the test stack that exited non-zero while the tests ran.</summary>
    public static readonly DiagnosticDescriptor TestServiceFailed = new(
        "SBC5302", "Test stack service failed", DiagnosticSeverity.Error,
        "Service '{0}' of the test stack exited with code {1} while the tests ran. Last log lines:{2}",
        "Fix the service (its logs are above); the tests cannot be trusted while a service they use fails.");

    /// <summary>pytest ran but collected nothing, or left no report.</summary>
    public static readonly DiagnosticDescriptor TestNothingRan = new(
        "SBC5303", "No tests ran", DiagnosticSeverity.Error,
        "{0}",
        "Check that the image's test stage copies the tests (COPY tests/ ./tests/) and that SbirTestFilter matches some test.");

    /// <summary>pytest itself failed (usage error, internal error, interrupted).</summary>
    public static readonly DiagnosticDescriptor TestRunFailed = new(
        "SBC5304", "Test run failed", DiagnosticSeverity.Error,
        "The test run in the container ended with exit code {0} before reporting results. Last output:{1}",
        "Read the output above; exit code 2 is a usage or collection error, 3 an internal error, 4 a command-line error.");
}
