namespace Sbir.Container.TestKit;

/// <summary>Programs the tests need from the machine, found on PATH; missing ones skip the test, or fail it when SBIR_CONTAINER_E2E=required.</summary>
public static class Tools
{
    /// <summary>The full path of <paramref name="name"/> on PATH.</summary>
    public static string Require(string name, string install)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Prerequisite.Missing($"{name} is not on PATH ({install})");
        return string.Empty;
    }
}
