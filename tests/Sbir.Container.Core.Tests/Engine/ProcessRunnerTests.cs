using System.Diagnostics;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Engine;

public class ProcessRunnerTests
{
    [Fact]
    public async Task Streams_lines_and_passes_environment_without_argv()
    {
        var lines = new List<string>();
        var result = await ProcessRunner.Instance.RunAsync(
            new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "echo out; echo err >&2; echo \"$SBIR_TEST_SECRET\""], Environment = new Dictionary<string, string?> { ["SBIR_TEST_SECRET"] = "value-from-env" } },
            new Observer(lines));
        Assert.True(result.Succeeded);
        Assert.Equal(["out", "value-from-env"], result.StandardOutput);
        Assert.Equal(["err"], result.StandardError);
        Assert.Contains("value-from-env", lines);
    }

    [Fact]
    public async Task Missing_executable_is_a_result_not_an_exception()
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec { FileName = "/nonexistent/docker" });
        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
    }

    [Fact]
    public async Task Cancellation_kills_the_process_and_its_children()
    {
        string marker = Path.Combine(Path.GetTempPath(), "sbir-child-" + Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        // The child writes its PID, then both wait; cancelling must stop both.
        var run = ProcessRunner.Instance.RunAsync(
            new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", $"sleep 300 & echo $! > {marker}; wait"] },
            null,
            cts.Token);
        for (int i = 0; i < 100 && !File.Exists(marker); i++)
        {
            await Task.Delay(50);
        }

        cts.Cancel();
        var result = await run;
        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
        int child = int.Parse(File.ReadAllText(marker).Trim());
        File.Delete(marker);
        await Task.Delay(200);
        Assert.False(File.Exists($"/proc/{child}/status") && !File.ReadAllText($"/proc/{child}/status").Contains("State:\tZ"), $"child {child} still runs");
    }

    [Fact]
    public async Task Timeout_is_reported()
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "sleep 30"], Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
    }

    private sealed class Observer(List<string> lines) : IProcessObserver
    {
        public void OnLine(string line, bool isError)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }
}
