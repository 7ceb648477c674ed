using System.ComponentModel;
using System.Diagnostics;
using Sbir.Container.Text;

namespace Sbir.Container.Engine;

/// <summary>
/// Runs a child process with argv as a list, streams its output line by line and, on cancellation
/// or timeout, kills it together with its children (docker CLI plugins such as buildx are children).
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <summary>A shared instance; the runner has no state.</summary>
    public static readonly ProcessRunner Instance = new();

    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, IProcessObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = spec.StandardInput is not null,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (string arg in spec.Arguments)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Set on the ProcessStartInfo directly (never through a logged parameter), so secrets carried
        // in the environment appear in no log.
        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var stdout = new TailBuffer(spec.CaptureLines);
        var stderr = new TailBuffer(spec.CaptureLines);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };

        try
        {
            if (!process.Start())
            {
                return new ProcessResult(ProcessOutcome.FailedToStart, -1, [], [], "the process did not start", clock.Elapsed);
            }
        }
        catch (Win32Exception ex)
        {
            return new ProcessResult(ProcessOutcome.FailedToStart, -1, [], [], ex.Message, clock.Elapsed);
        }
        catch (InvalidOperationException ex)
        {
            return new ProcessResult(ProcessOutcome.FailedToStart, -1, [], [], ex.Message, clock.Elapsed);
        }

        Task pumpOut = PumpAsync(process.StandardOutput, stdout, observer, isError: false);
        Task pumpErr = PumpAsync(process.StandardError, stderr, observer, isError: true);

        if (spec.StandardInput is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(spec.StandardInput).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child exited without reading its input; its exit code tells the story.
            }
        }

        using var timeout = spec.Timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var outcome = ProcessOutcome.Exited;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            outcome = cancellationToken.IsCancellationRequested ? ProcessOutcome.Cancelled : ProcessOutcome.TimedOut;
            Kill(process);
            // Reap it so that no zombie is left and the pumps see end of stream.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Task.WhenAll(pumpOut, pumpErr).ConfigureAwait(false);
        int exitCode = outcome == ProcessOutcome.Exited ? process.ExitCode : -1;
        return new ProcessResult(outcome, exitCode, stdout.Lines, stderr.Lines, null, clock.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exiting while we tried; nothing left to stop.
        }
    }

    private static async Task PumpAsync(StreamReader reader, TailBuffer buffer, IProcessObserver? observer, bool isError)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            buffer.Add(line);
            observer?.OnLine(line, isError);
        }
    }
}
