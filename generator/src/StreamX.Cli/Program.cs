namespace StreamX.Cli;

/// <summary>The process entry point; everything testable lives in <see cref="StreamXCli"/>.</summary>
internal static class Program
{
    private static int Main(string[] args) => StreamXCli.Run(args, Console.Out, Console.Error);
}
