using System.Diagnostics;
using System.Text;

namespace StreamX.Tests.Shared;

/// <summary>
/// Runs a program (the Python peers, the Apache Thrift compiler) to completion for interop tests: stdin
/// in, stdout back, stderr in the error, bounded by a timeout that kills the process tree. One copy,
/// linked into the test projects that run such peers.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The first <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>, writing <paramref name="stdin"/> and
    /// closing it; returns the exit code and stdout. With <paramref name="throwOnError"/>, a non-zero exit
    /// throws with stderr and stdout. Python runs with UTF-8 I/O and writes no bytecode.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout)> RunAsync(string file, string[] args, string? stdin, TimeSpan timeout, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        var what = $"{file} {string.Join(' ', args)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {what}");
        using var limit = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.StandardInput.WriteAsync((stdin ?? string.Empty).AsMemory(), limit.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            var (output, errors) = (await stdout, await stderr);
            if (throwOnError && process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{errors}\n{output}");
            }

            return (process.ExitCode, output);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {timeout}.");
        }
    }
}
