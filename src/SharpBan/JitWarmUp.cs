using System.Reflection;
using System.Runtime.CompilerServices;
using SharpBan.Engine.Matching;

namespace SharpBan;

/// <summary>
/// Compiles the per-line methods ahead of their first call, on a thread of its own. They are marked
/// <see cref="MethodImplOptions.AggressiveOptimization"/>, so the runtime never uses their ReadyToRun code and jits them,
/// fully optimised, when they are first called: about 60 ms of a short <c>sharpban regex</c> run (docs/performance.md,
/// fourteenth round). Started by <c>sharpban regex</c> before the command line is parsed, the compilation runs on the
/// second core while the main thread parses and reads the configuration. A method the main thread reaches first is
/// compiled once all the same (the runtime lets one thread jit a method and the other wait for it).
/// </summary>
internal static class JitWarmUp
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static
        | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Starts the compilation; does nothing on a single core, where it would only compete with the main thread.</summary>
    public static void Start()
    {
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        new Thread(PrepareAll) { IsBackground = true, Name = "sharpban warm-up" }.Start();
    }

    /// <summary>The methods compiled: those marked for aggressive optimisation in the engine and in this assembly.</summary>
    internal static IEnumerable<MethodInfo> Methods() =>
        new[] { typeof(LogFilter).Assembly, typeof(JitWarmUp).Assembly }
            .SelectMany(static a => a.GetTypes())
            .Where(static t => !t.ContainsGenericParameters)
            .SelectMany(static t => t.GetMethods(Declared))
            .Where(static m => !m.IsAbstract && !m.ContainsGenericParameters
                && (m.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0);

    private static void PrepareAll()
    {
        try
        {
            foreach (var method in Methods())
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or ArgumentException or TypeLoadException or BadImageFormatException)
        {
            // a warm-up only: whatever it did not compile is compiled at its first call
        }
    }
}
