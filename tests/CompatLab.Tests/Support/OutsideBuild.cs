using System.Diagnostics;
using Xunit;

namespace CompatLab.Tests.Support;

/// <summary>Builds a plugin project the way an outside author does: `dotnet build` against the host folder the tests run from.</summary>
internal static class OutsideBuild
{
    /// <summary>Builds the project in <paramref name="projectFolder"/> into <paramref name="outputFolder"/>; fails the test with the build log.</summary>
    public static void Run(string projectFolder, string outputFolder, params string[] extraArguments)
    {
        var build = new ProcessStartInfo("dotnet") { WorkingDirectory = projectFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "build", "-o", outputFolder, $"-p:CompatLabHost={AppContext.BaseDirectory}", "-nologo" }.Concat(extraArguments))
        {
            build.ArgumentList.Add(arg);
        }

        using var process = Process.Start(build)!;
        string log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, log);
    }
}
