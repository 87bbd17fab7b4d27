using System.CommandLine;
using System.CommandLine.Invocation;

namespace SharpBan;

/// <summary>An option that prints one line and ends the command, whatever else is missing (<c>-V</c>, <c>--version</c>).</summary>
internal sealed class PrintAction(string text) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(text);
        return 0;
    }
}
