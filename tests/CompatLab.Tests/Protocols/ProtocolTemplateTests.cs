using System.Reflection;
using System.Runtime.Loader;
using CompatLab.Abstractions;
using CompatLab.Testing;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Protocols;

/// <summary>
/// The protocol template's own protocol (templates/protocol/MyProtocol/MyProtocol.cs), compiled at test time against
/// the contract and the engine as an outside plugin, run through CompatLab.Testing's <see cref="ProtocolExperiment"/>:
/// so a change to the public types a protocol is written with breaks here, not first in a researcher's copy.
/// .ci/templates.sh instantiates the template itself and runs its tests.
/// </summary>
public sealed class ProtocolTemplateTests
{
    private static readonly Lazy<Type> TemplateProtocol = new(CompileTemplate);

    [Fact]
    public void TheTemplateProtocolGivesARowOfFiniteScoresAndReusesItsModels()
    {
        using var experiment = ProtocolExperiment.For(TemplateProtocol.Value);

        var first = experiment.Run();
        File.Delete(Path.Combine(first.RunFolder, "results.json"));
        var resumed = experiment.Run();

        Assert.Equal("my-protocol", experiment.PluginName);
        Assert.True(double.IsFinite(first.OldSelf!.Map) && double.IsFinite(first.NewSelf.Map) && double.IsFinite(first.Cross!.Map));
        Assert.Equal(first.Cross.Map, resumed.Cross!.Map);
        Assert.Contains("new model: reusing", experiment.Messages, StringComparison.Ordinal);
        string metrics = string.Join("\n", Directory.GetFiles(first.RunFolder, "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("eval.cross_unseen.map", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplateProtocolsCheckIsReportedAsAConfigurationProblem()
    {
        using var experiment = ProtocolExperiment.For(TemplateProtocol.Value);

        var error = Assert.ThrowsAny<CompatLabUserException>(() => experiment.Run("data.split.oldClassFraction=1"));

        Assert.Contains("data.split.oldClassFraction", error.Message, StringComparison.Ordinal);
        Assert.Contains("my-protocol needs classes the old model never sees", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClassThatIsNotAProtocolIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ProtocolExperiment.For(typeof(ProtocolTemplateTests)));

        Assert.Contains("PluginKind.Protocol", error.Message, StringComparison.Ordinal);
    }

    private static Type CompileTemplate()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "templates", "protocol", "MyProtocol", "MyProtocol.cs"));
        string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;\n";
        // Beside the tests, replaced on each test run (unlinked first, in case another process still maps it).
        string output = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "template-protocol")).FullName, "MyProtocol.dll");
        File.Delete(output);
        string Host(string file) => Path.Combine(AppContext.BaseDirectory, file);
        AssemblyCompiler.Compile(
            output, "MyProtocol", implicitUsings + source,
            Host("CompatLab.Abstractions.dll"), Host("CompatLab.Engine.dll"), Host("TorchSharp.dll"), Host("Microsoft.Extensions.Configuration.Abstractions.dll"));
        Assembly assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(output);
        return assembly.GetType("MyProtocol.MyProtocol", throwOnError: true)!;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Framework.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Framework.sln) was not found above " + AppContext.BaseDirectory);
    }
}
