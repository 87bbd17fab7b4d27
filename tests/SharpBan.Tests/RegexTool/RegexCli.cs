using System.CommandLine;

namespace SharpBan.Tests.RegexTool;

/// <summary>Runs <c>sharpban regex ARGS</c> in process through the real command line, capturing its output.</summary>
internal static class RegexCli
{
    public static (int Exit, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        var exit = SharpBanCommand.Create().Parse(["regex", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    public static string? Lines(string output) =>
        output.Split('\n').FirstOrDefault(static l => l.StartsWith("Lines: ", StringComparison.Ordinal));
}
