using Xunit;

namespace CompatLab.Tests.Runtime;

/// <summary>
/// Tests that read the process's allocator totals. They run apart from every other test, so no other test's
/// tensors are allocated or freed between two readings.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollection
{
    public const string Name = "Runtime: native heap totals";
}
