using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Tests.Config.Ini;

public sealed class IniParserProperties
{
    private static readonly string[] Fragments =
    [
        "[s]", "[DEFAULT]", "[Init?family=inet6]", "[", "]", "a = 1", "b: 2", "A = 3", "=", ":", " ", "\t", "    cont", "# c", "; c",
        " ;x", "%(a)s", "%%", "%", "\n", "\r\n", "\r", "[INCLUDES]", "before = x.conf", "x", "ü", "\u2028", "\0",
    ];

    private static Arbitrary<string> IniLikeText() =>
        Gen.Frequency(
                (3, Gen.Elements(Fragments)),
                (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty)))
            .ListOf()
            .Select(parts => string.Concat(parts))
            .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Parse_ArbitraryText_NeverThrowsAndEveryProblemHasALine() =>
        Prop.ForAll(IniLikeText(), text =>
        {
            var file = IniParser.Parse("/cfg/x.conf", text);
            var lines = text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Length;
            return file.Diagnostics.All(d => d.Location.File == "/cfg/x.conf" && d.Location.Line >= 1 && d.Location.Line <= lines);
        });

    [Property(MaxTest = 300)]
    public Property Parse_AnyString_NeverThrows() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var file = IniParser.Parse("/cfg/y.conf", text ?? string.Empty);
            return file.Diagnostics.All(d => d.Location.Line >= 1);
        });
}
