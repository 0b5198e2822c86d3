using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Plugins;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Plugins;

public class PluginCatalogTests
{
    private static string BuiltInFolder(string family) => Path.Combine(PluginCatalog.DefaultDirectory, $"CompatLab.Plugins.{family}");

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [Fact]
    public void BuiltInFamiliesLoadWithKindsNamesVersionsAndOptions()
    {
        using var catalog = BuiltInPlugins.Load();

        var names = catalog.Plugins.Select(p => $"{p.KindName}:{p.Name}").ToHashSet();
        Assert.Superset(new HashSet<string> { "loss:independent", "loss:bct", "loss:bct-proto", "backbone:resnet-mini", "backbone:cnn4", "dataset:fashion-mnist", "dataset:synthetic", "dataset:idx" }, names);
        var bctProto = catalog.Find(PluginKind.CompatibilityLoss, "bct-proto", "test");
        Assert.Equal("0.1.0", bctProto.Version);
        Assert.Contains(PluginOption.Describe(bctProto.OptionsType), o => o.Name == "scale" && o.Default == "20");
        Assert.NotSame(catalog.Create(bctProto, Activator.CreateInstance(bctProto.OptionsType!)), catalog.Create(bctProto, Activator.CreateInstance(bctProto.OptionsType!)));
    }

    [Fact]
    public void PluginsShareTheHostsContractAndTorchSharp()
    {
        using var catalog = BuiltInPlugins.Load();
        var loss = catalog.Create(catalog.Find(PluginKind.CompatibilityLoss, "independent", "test"), null);

        Assert.IsAssignableFrom<CompatLab.Abstractions.Losses.ICompatibilityLoss>(loss);
        Assert.Same(typeof(TorchSharp.torch).Assembly, loss.GetType().Assembly.GetReferencedAssemblies()
            .Where(a => a.Name == "TorchSharp").Select(a => AppDomain.CurrentDomain.GetAssemblies().First(x => x.GetName().Name == a.Name)).Single());
    }

    [Fact]
    public void SameNameInTwoAssembliesIsRefusedNamingBoth()
    {
        using var scratch = new ScratchFolder();
        CopyFolder(BuiltInFolder("Losses"), scratch.PathOf("extra/CompatLab.Plugins.Losses"));

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory, scratch.PathOf("extra") }));

        Assert.Contains("two loss plugins are named 'bct'", error.Message);
        Assert.Contains(scratch.PathOf("extra/CompatLab.Plugins.Losses/CompatLab.Plugins.Losses.dll"), error.Message);
    }

    [Fact]
    public void AssemblyThatIsNotDotNetGivesAClearError()
    {
        using var scratch = new ScratchFolder();
        string broken = scratch.File("plugins/Broken/Broken.dll", "this is not an assembly");

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { scratch.PathOf("plugins") }));

        Assert.StartsWith($"{broken}: the plugin assembly failed to load", error.Message);
    }

    [Fact]
    public void AssemblyWithoutTheContractIsNotAPlugin()
    {
        using var scratch = new ScratchFolder();
        string path = AssemblyCompiler.Compile(scratch.PathOf("plugins/Plain/Plain.dll"), "Plain", "public class Plain { }");

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { scratch.PathOf("plugins") }));

        Assert.Equal($"{path}: not a CompatLab plugin: it does not reference CompatLab.Abstractions", error.Message);
    }

    [Fact]
    public void PluginBuiltAgainstAnotherContractMajorIsRefusedNamingBothVersions()
    {
        using var scratch = new ScratchFolder();
        string future = AssemblyCompiler.Compile(
            scratch.PathOf("contract2/CompatLab.Abstractions.dll"),
            "CompatLab.Abstractions",
            """[assembly: System.Reflection.AssemblyVersion("2.0.0.0")] namespace CompatLab.Abstractions { public class Marker { } }""");
        string plugin = AssemblyCompiler.Compile(
            scratch.PathOf("plugins/Future/Future.dll"),
            "Future",
            "public class FuturePlugin : CompatLab.Abstractions.Marker { }",
            future);

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { scratch.PathOf("plugins") }));

        string host = ContractVersion.Current.ToString(2);
        Assert.Equal($"{plugin}: built against plugin contract 2.0, but this host provides contract {host}; rebuild the plugin against {host}", error.Message);
    }

    [Fact]
    public void MissingExtraDirectoryIsAnError()
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { "/nonexistent/compatlab-plugins" }));

        Assert.Equal("plugin directory '/nonexistent/compatlab-plugins' does not exist", error.Message);
    }

    [Fact]
    public void ContractCompatibilityRule()
    {
        Assert.True(ContractVersion.IsCompatible(new Version(1, 0), new Version(1, 2)));
        Assert.False(ContractVersion.IsCompatible(new Version(1, 3), new Version(1, 2)));
        Assert.False(ContractVersion.IsCompatible(new Version(2, 0), new Version(1, 9)));
    }
}
