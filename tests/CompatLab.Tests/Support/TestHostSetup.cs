using System.Runtime.CompilerServices;
using CompatLab.Engine.Runtime;

namespace CompatLab.Tests.Support;

/// <summary>
/// The test host runs like the CLI on every machine: oneDNN capped where the CLI caps it, and every new CPU block of
/// libtorch filled with NaN, in this process and in the CLI processes the tests start, so code that reads memory it
/// never wrote fails here on any CPU instead of only where freed memory happens to hold NaN.
/// </summary>
internal static class TestHostSetup
{
    [ModuleInitializer]
    internal static void Initialise()
    {
        OneDnnIsa.Apply();
        Environment.SetEnvironmentVariable(FreshMemoryFill.Variable, "nan");
        FreshMemoryFill.ApplyFromEnvironment();
    }
}
