using System.Globalization;
using BenchmarkDotNet.Running;
using SharpBan.Benchmarks;

if (args is ["profile", var configDir, var filter, var log, ..])
{
    return LineProfile.Run(configDir, filter, log, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3);
}

if (args is ["tracked", ..])
{
    return TrackedProfile.Run(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : -1);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
