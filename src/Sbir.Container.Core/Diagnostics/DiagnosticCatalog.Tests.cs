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

    /// <summary>A smoke command failed in the runtime image.</summary>
    public static readonly DiagnosticDescriptor TestSmokeFailed = new(
        "SBC5305", "Runtime image smoke test failed", DiagnosticSeverity.Error,
        "The runtime image {0} failed the smoke test '{1}' (exit code {2}); the tests ran in the test stage, which builds on the builder stage, so the runtime image was not tested by them. Output:{3}",
        "The runtime stage lacks something the builder has (a library such as libpq, a system package, a file) or the command is wrong: reproduce it with 'docker run --rm {0} {1}', fix the runtime stage, or change test.smoke in config/docker.yaml.");

    /// <summary>pytest could not list the tests that need the stack.</summary>
    public static readonly DiagnosticDescriptor TestStackCollectFailed = new(
        "SBC5306", "Tests needing the stack not known", DiagnosticSeverity.Error,
        "pytest could not collect the tests marked '{0}' to tell whether the compose test stack is needed (exit code {1}). Output:{2}",
        "Fix the collection error shown (it breaks the test run as well), or decide yourself: -p:SbirTestServices=true runs every test with the stack, false without it.");

    /// <summary>Tests carry the stack marker, but there is no test stack.</summary>
    public static readonly DiagnosticDescriptor TestStackMissing = new(
        "SBC5307", "Tests need a stack that is not defined", DiagnosticSeverity.Error,
        "{0} test(s) are marked '{1}', so they need the compose test stack, but {2}",
        "Define the test profile in config/docker.yaml (compose.profiles.{3}.files), or remove the marker from tests that need no services.");
}
