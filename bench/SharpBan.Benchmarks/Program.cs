using System.Globalization;
using BenchmarkDotNet.Running;
using SharpBan.Benchmarks;

if (args is ["profile", var configDir, var filter, var log, ..])
{
    return LineProfile.Run(configDir, filter, log, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
