using System.Diagnostics;
using System.Text;

namespace Sbir.Container.TestKit;

/// <summary>The result of a child process run by a test.</summary>
public sealed record ProcessRunResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Lines of the combined output.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n');
}

/// <summary>Runs real processes for tests (dotnet, docker, sh) and captures their combined output.</summary>
public static class ProcessRun
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; kills it after <paramref name="timeout"/>.</summary>
    public static ProcessRunResult Run(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var process = Start(file, args, workingDirectory, environment, out var output);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        return Wait(process, output, timeout ?? TimeSpan.FromMinutes(10));
    }

    /// <summary>Starts a process whose output accumulates in <paramref name="output"/>.</summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory, IDictionary<string, string?>? environment, out StringBuilder output)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var sb = new StringBuilder();
        output = sb;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (sb) { sb.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (sb) { sb.Append(e.Data).Append('\n'); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits for a started process.</summary>
    public static ProcessRunResult Wait(Process process, StringBuilder output, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output)
            {
                output.Append($"\n[test] killed after {timeout.TotalSeconds:0} s\n");
            }
        }

        process.WaitForExit();
        lock (output)
        {
            return new ProcessRunResult(process.HasExited ? process.ExitCode : -1, output.ToString(), clock.Elapsed);
        }
    }
}
