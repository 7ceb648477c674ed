namespace Sbir.Container.TestKit;

/// <summary>
/// What a test needs from the machine (an engine, a tool). When it is missing the test is skipped with
/// the reason, and the reason is sent as a diagnostic message, which 'dotnet test' shows at its default
/// verbosity (xunit.runner.json: diagnosticMessages), once per reason. With SBIR_CONTAINER_E2E=required
/// (CI) a missing prerequisite fails the test instead.
/// </summary>
public static class Prerequisite
{
    private static readonly HashSet<string> Announced = [];

    /// <summary>Skips (or, when required, fails) the current test because <paramref name="reason"/>.</summary>
    public static void Missing(string reason)
    {
        if (DockerEngine.Required)
        {
            Assert.Fail("SBIR_CONTAINER_E2E=required, but " + reason);
        }

        string full = reason + " (set SBIR_CONTAINER_E2E=required to make this a failure)";
        if (TestContext.Current.Test is not null)
        {
            lock (Announced)
            {
                if (Announced.Add(full))
                {
                    TestContext.Current.SendDiagnosticMessage("Skipped: " + full);
                }
            }
        }

        Assert.Skip(full);
    }

    /// <summary>
    /// For a class or collection fixture: runs <paramref name="checks"/> and returns why the tests
    /// cannot run, or null. xunit v3 reports a skip thrown from a fixture's constructor as a failure of
    /// every test, so a fixture records the reason and its test class calls <see cref="SkipIf"/> in its
    /// own constructor, where a skip is a skip. A failure (SBIR_CONTAINER_E2E=required) still throws.
    /// </summary>
    public static string? Check(Action checks)
    {
        try
        {
            checks();
            return null;
        }
        catch (Xunit.Sdk.SkipException skipped)
        {
            // xunit marks the message of a dynamic skip with a prefix of its own.
            const string Prefix = "$XunitDynamicSkip$", Suffix = " (set SBIR_CONTAINER_E2E=required to make this a failure)";
            string reason = skipped.Message.StartsWith(Prefix, StringComparison.Ordinal) ? skipped.Message[Prefix.Length..] : skipped.Message;
            return reason.EndsWith(Suffix, StringComparison.Ordinal) ? reason[..^Suffix.Length] : reason;
        }
    }

    /// <summary>Skips the current test when its fixture recorded a reason (see <see cref="Check"/>).</summary>
    public static void SkipIf(string? reason)
    {
        if (reason is not null)
        {
            Missing(reason);
        }
    }
}
