using Autofac;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Hosting;
using static TorchSharp.torch;

namespace CompatLab.Engine.Plugins;

/// <summary>
/// The plugins of one run: an Autofac lifetime scope in which the run's log, seed streams and device are
/// registered, so a plugin constructor that asks for them gets this run's. Disposing the scope drops the
/// registrations; the plugins themselves are owned by whoever created them.
/// </summary>
public sealed class PluginScope : IDisposable
{
    private readonly ILifetimeScope scope;
    private readonly PluginCatalog catalog;

    internal PluginScope(PluginCatalog catalog, ILifetimeScope scope)
    {
        this.catalog = catalog;
        this.scope = scope;
    }

    /// <summary>A new instance of the plugin, given its bound options (null when it takes none).</summary>
    public object Create(PluginDescriptor plugin, object? options) => catalog.Create(scope, plugin, options);

    public void Dispose() => scope.Dispose();

    internal static void Register(ContainerBuilder builder, IPluginLog log, ISeedStreams seeds, Device device)
    {
        builder.RegisterInstance(log).As<IPluginLog>().As<ITelemetrySink>().ExternallyOwned();
        builder.RegisterInstance(seeds).As<ISeedStreams>().ExternallyOwned();
        builder.RegisterInstance(device).As<Device>().ExternallyOwned();
    }
}
