namespace SharpBan.Tests.Support;

/// <summary>
/// Tests that measure the whole process (allocated bytes) and so must not share it with other tests: xunit runs this
/// collection on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone in the process";
}
