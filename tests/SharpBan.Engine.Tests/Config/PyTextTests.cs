using SharpBan.Engine.Config;

namespace SharpBan.Engine.Tests.Config;

public sealed class PyTextTests
{
    [Theory]
    [InlineData("MaxRetry", "maxretry")]
    [InlineData("ΟΔΟΣ", "οδος")] // a word-final capital sigma is ς, as Python lowers it
    [InlineData("ΣΑ", "σα")]
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ'Α", "ασ'α")] // the apostrophe is inside the word: a cased letter follows, so not final
    [InlineData("İx", "i\u0307x")] // the dotted capital I lowers to i and a combining dot
    [InlineData("\U00010400Σ", "\U00010428ς")] // a letter outside the BMP before the sigma
    public void Lower_SpecialCasings_AsPython(string text, string expected)
    {
        Assert.Equal(expected, PyText.Lower(text));
    }
}
