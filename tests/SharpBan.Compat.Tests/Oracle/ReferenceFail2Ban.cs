using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SharpBan.Compat.Tests.Oracle;

/// <summary>The installed fail2ban 1.0.2 (Debian package) used as the oracle.</summary>
internal static class ReferenceFail2Ban
{
    public const string Client = "/usr/bin/fail2ban-client";
    public const string ConfigDirectory = "/etc/fail2ban";

    // Python's list repr → JSON, one line each (the client prints Python lists)
    private const string ReprToJson =
        "import ast, json, sys\n" +
        "for line in sys.stdin:\n" +
        "    line = line.rstrip('\\n')\n" +
        "    if line.startswith('['):\n" +
        "        print(json.dumps(ast.literal_eval(line)))\n";

    public static bool Required => Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1";

    public static string? SkipReason()
    {
        if (Required)
        {
            return null;
        }

        return File.Exists(Client) && Directory.Exists(ConfigDirectory)
            ? null
            : "the reference fail2ban is not installed (apt-get install fail2ban); .ci/run installs it and requires this test";
    }

    /// <summary>Runs <c>fail2ban-client -c DIR -d</c> and returns each printed command as JSON.</summary>
    public static IReadOnlyList<JsonNode> Dump(string directory)
    {
        var python = Run(Client, ["-c", directory, "-d"], null);
        var json = Run("python3", ["-c", ReprToJson], python);
        return json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
    }

    /// <summary>Runs <c>fail2ban-client --str2sec VALUE</c>: its standard output.</summary>
    public static string Str2Sec(string value) => Run(Client, ["--str2sec", value], null);

    /// <summary>Runs <c>fail2ban-client -c DIR -d</c>: its exit code and standard output as printed.</summary>
    public static (int Exit, string Output) DumpRaw(string directory)
    {
        var output = Run(Client, ["-c", directory, "-d"], null, out var exit);
        return (exit, output);
    }

    /// <summary>
    /// Runs <c>fail2ban-client -c DIR -d</c>: its exit code, the printed commands as JSON (null when it printed no stream,
    /// then <c>Output</c> says why: "ERROR: The configuration stream failed …") and its standard error (its log).
    /// </summary>
    public static (int Exit, IReadOnlyList<JsonNode>? Stream, string Output, string Error) DumpWithLog(string directory)
    {
        var output = Run(Client, ["-c", directory, "-d"], null, out var exit, out var error);
        if (!output.Split('\n').Any(static l => l.StartsWith('[')))
        {
            return (exit, null, output, error);
        }

        var json = Run("python3", ["-c", ReprToJson], output);
        return (exit, json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList(), output, error);
    }

    /// <summary>Runs <c>fail2ban-client -c DIR -t</c>: its exit code.</summary>
    public static int TestExit(string directory)
    {
        _ = Run(Client, ["-c", directory, "-t"], null, out var exit);
        return exit;
    }

    private static string Run(string file, IReadOnlyList<string> arguments, string? input) => Run(file, arguments, input, out _);

    private static string Run(string file, IReadOnlyList<string> arguments, string? input, out int exit) => Run(file, arguments, input, out exit, out _);

    private static string Run(string file, IReadOnlyList<string> arguments, string? input, out int exit, out string error)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
            StandardInputEncoding = input is null ? null : new System.Text.UTF8Encoding(false),
        };
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["PYTHONHASHSEED"] = "0";
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        error = stderr.Result;
        exit = process.ExitCode;
        return stdout.Result;
    }
}
