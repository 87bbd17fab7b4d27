using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Config;

namespace SharpBan.Compat.Tests.Config;

/// <summary><c>logpath</c> globs against Python's <c>glob.glob</c>: the same paths in the same (unsorted) order.</summary>
public sealed class PathGlobCompatTests
{
    [OracleFact]
    public void Expand_ManyFiles_SamePathsInPythonsOrder()
    {
        using var temp = new TempDirectory();
        var random = new Random(20261126);
        foreach (var i in Enumerable.Range(0, 60))
        {
            var dir = Path.Join(temp.Path, random.Next(3) == 0 ? "sub" + random.Next(3) : "");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Join(dir, $"{(char)('a' + random.Next(26))}{i}-{random.Next(1000)}.log"), "");
        }

        string[] patterns = ["*.log", "*[0-9].log", "sub*/*.log", "?1*.log", "[!a-m]*", "sub?/[a-k]*.log"];
        var lines = patterns.Select(p => JsonSerializer.Serialize(Path.Join(temp.Path, p))).ToList();

        var python = PythonOracle.Run("import sys, json, glob\nfor l in sys.stdin: print(json.dumps(glob.glob(json.loads(l))))", lines);

        for (var i = 0; i < patterns.Length; i++)
        {
            var expected = JsonSerializer.Deserialize<string[]>(python[i])!;
            Assert.True(expected.Length > 1, patterns[i]);
            Assert.Equal(expected, PathGlob.Expand(Path.Join(temp.Path, patterns[i])));
        }
    }
}
