using System.Runtime.CompilerServices;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Tests;

/// <summary>The warm-up of <c>sharpban regex</c>: it finds the per-line methods and can compile each of them.</summary>
public sealed class JitWarmUpTests
{
    [Fact]
    public void Methods_ArePerLineMethodsOfBothAssemblies_AndEachCompiles()
    {
        var methods = JitWarmUp.Methods().ToList();
        var names = methods.Select(static m => m.DeclaringType!.Name + "." + m.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(nameof(LogFilter) + ".FindFailure", names);
        Assert.Contains(nameof(PyRegex) + "." + nameof(PyRegex.Search), names);
        Assert.Contains("RegexRunner.MatchStage", names);
        Assert.True(methods.Count >= 30, $"only {methods.Count} methods: {string.Join(", ", names)}");
        Assert.All(methods, static m => Assert.True(
            (m.MethodImplementationFlags & System.Reflection.MethodImplAttributes.AggressiveOptimization) != 0, m.Name));
        foreach (var method in methods)
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }
}
