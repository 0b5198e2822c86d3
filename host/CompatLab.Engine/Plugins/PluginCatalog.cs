using System.Reflection;
using Autofac;
using CompatLab.Abstractions.Plugins;
using McMaster.NETCore.Plugins;
using TorchSharp;

namespace CompatLab.Engine.Plugins;

/// <summary>
/// Loads every plugin assembly from the plugin directories (the built-in families too) through
/// McMaster.NETCore.Plugins, sharing the contract, the engine and TorchSharp with the host, and registers each plugin class
/// in Autofac keyed by kind and name. A directory holds one folder per plugin assembly, named like the assembly
/// (<c>plugins/CompatLab.Plugins.Losses/CompatLab.Plugins.Losses.dll</c>), or loose assemblies.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private static readonly Type[] SharedTypes =
    {
        typeof(PluginKind),
        typeof(torch),
        typeof(TorchSharp.Modules.Parameter),
        typeof(PluginCatalog), // the engine itself: protocol plugins run on its stage types
    };

    private readonly List<PluginLoader> loaders;
    private readonly IContainer container;

    private PluginCatalog(IReadOnlyList<PluginDescriptor> plugins, List<PluginLoader> loaders)
    {
        Plugins = plugins;
        this.loaders = loaders;
        var builder = new ContainerBuilder();
        foreach (var plugin in plugins)
        {
            builder.RegisterType(plugin.Implementation)
                .Keyed(Key(plugin.Kind, plugin.Name), PluginKinds.ContractOf(plugin.Kind))
                .InstancePerDependency()
                .ExternallyOwned();
        }

        // Outside a run (checking an experiment, listing plugins) a plugin still gets a log and a device.
        builder.RegisterInstance(new MessageLog(System.Console.Error)).As<Abstractions.Hosting.IPluginLog>().As<Abstractions.ITelemetrySink>().ExternallyOwned();
        builder.RegisterInstance(new NoRunSeeds()).As<Abstractions.Hosting.ISeedStreams>().ExternallyOwned();
        builder.RegisterInstance(torch.CPU).As<torch.Device>().ExternallyOwned();
        builder.Register(c => new LossTermFactory(this, c.Resolve<ILifetimeScope>())).As<Abstractions.Losses.ICompatibilityLossFactory>();
        container = builder.Build();
    }

    public IReadOnlyList<PluginDescriptor> Plugins { get; }

    /// <summary>The built-in plugin directory: <c>plugins/</c> beside the host assembly.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <param name="directories">Searched in order; a missing directory is an error unless it is the default one.</param>
    public static PluginCatalog Load(IEnumerable<string> directories)
    {
        var loaders = new List<PluginLoader>();
        var found = new List<PluginDescriptor>();
        foreach (string directory in directories.Distinct())
        {
            if (!Directory.Exists(directory))
            {
                if (Path.GetFullPath(directory) == Path.GetFullPath(DefaultDirectory))
                {
                    continue;
                }

                throw new PluginLoadException($"plugin directory '{directory}' does not exist");
            }

            foreach (string assemblyPath in AssembliesIn(directory))
            {
                var (loader, assembly) = LoadAssembly(assemblyPath);
                loaders.Add(loader);
                string sha256 = Sha256Of(assemblyPath);
                foreach (var descriptor in Describe(assembly, assemblyPath).Select(d => d with { AssemblySha256 = sha256 }))
                {
                    var clash = found.FirstOrDefault(p => p.Kind == descriptor.Kind && p.Name == descriptor.Name);
                    if (clash is not null)
                    {
                        throw new PluginLoadException(
                            $"two {descriptor.KindName} plugins are named '{descriptor.Name}': {clash.Implementation.FullName} in {clash.AssemblyPath} and {descriptor.Implementation.FullName} in {descriptor.AssemblyPath}; rename one or remove its assembly");
                    }

                    RefuseSectionClash(found, descriptor);
                    found.Add(descriptor);
                }
            }
        }

        return new PluginCatalog(found, loaders);
    }

    /// <summary>The protocol that owns a configuration section, or null when none claims it.</summary>
    public PluginDescriptor? OwnerOfSection(string section) =>
        OfKind(PluginKind.Protocol).FirstOrDefault(p => string.Equals(p.Section, section, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<PluginDescriptor> OfKind(PluginKind kind) => Plugins.Where(p => p.Kind == kind);

    private static void RefuseSectionClash(IEnumerable<PluginDescriptor> found, PluginDescriptor descriptor)
    {
        if (descriptor.Kind != PluginKind.Protocol || descriptor.Section.Length == 0)
        {
            return;
        }

        var clash = found.FirstOrDefault(p => p.Kind == PluginKind.Protocol && string.Equals(p.Section, descriptor.Section, StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            throw new PluginLoadException(
                $"two protocol plugins own the configuration section '{descriptor.Section}': '{clash.Name}' ({clash.Implementation.FullName} in {clash.AssemblyPath}) and '{descriptor.Name}' ({descriptor.Implementation.FullName} in {descriptor.AssemblyPath}); remove one's assembly or its Section");
        }
    }

    /// <summary>The plugin of that kind and name, or an error naming where it was asked for and the nearest names.</summary>
    public PluginDescriptor Find(PluginKind kind, string name, string askedAt)
    {
        var plugin = Plugins.FirstOrDefault(p => p.Kind == kind && string.Equals(p.Name, name, StringComparison.Ordinal));
        if (plugin is not null)
        {
            return plugin;
        }

        var names = OfKind(kind).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        string hint = Configuration.NameSuggester.Hint(name, names);
        string available = names.Count == 0 ? "none are loaded" : "available: " + string.Join(", ", names);
        throw new PluginLoadException($"{askedAt}: unknown {PluginKinds.DisplayName(kind)} plugin '{name}'{hint}; {available}");
    }

    /// <summary>A new instance of the plugin, given its bound options (null when it takes none), outside any run.</summary>
    public object Create(PluginDescriptor plugin, object? options) => Create(container, plugin, options);

    /// <summary>The plugins of one run: their constructors get this run's log, seed streams and device.</summary>
    public PluginScope BeginRun(Abstractions.Hosting.IPluginLog log, Abstractions.Hosting.ISeedStreams seeds, torch.Device device) =>
        new(this, container.BeginLifetimeScope(builder => PluginScope.Register(builder, log, seeds, device)));

    internal object Create(ILifetimeScope scope, PluginDescriptor plugin, object? options)
    {
        var contract = PluginKinds.ContractOf(plugin.Kind);
        try
        {
            return options is null
                ? scope.ResolveKeyed(Key(plugin.Kind, plugin.Name), contract)
                : scope.ResolveKeyed(Key(plugin.Kind, plugin.Name), contract, new TypedParameter(plugin.OptionsType!, options));
        }
        catch (Autofac.Core.DependencyResolutionException e) when (UserMistake(e) is { } user)
        {
            // Autofac wraps a constructor's exception (sometimes twice); the user's mistake is the message to show.
            throw user;
        }
    }

    public void Dispose()
    {
        container.Dispose();
        foreach (var loader in loaders)
        {
            loader.Dispose();
        }
    }

    private static string Key(PluginKind kind, string name) => $"{kind}:{name}";

    private static Abstractions.CompatLabUserException? UserMistake(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is Abstractions.CompatLabUserException user)
            {
                return user;
            }
        }

        return null;
    }

    private static IEnumerable<string> AssembliesIn(string directory)
    {
        foreach (string folder in Directory.GetDirectories(directory).OrderBy(d => d, StringComparer.Ordinal))
        {
            string main = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(main))
            {
                yield return main;
            }
        }

        foreach (string loose in Directory.GetFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return loose;
        }
    }

    private static (PluginLoader Loader, Assembly Assembly) LoadAssembly(string path)
    {
        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(Path.GetFullPath(path), sharedTypes: SharedTypes, configure: c => c.PreferSharedTypes = true);
            var assembly = loader.LoadDefaultAssembly();
            var builtAgainst = ContractVersion.BuiltAgainst(assembly)
                ?? throw new PluginLoadException($"{path}: not a CompatLab plugin: it does not reference {ContractVersion.AssemblyName}");
            if (!ContractVersion.IsCompatible(builtAgainst, ContractVersion.Current))
            {
                throw new PluginLoadException(
                    $"{path}: built against plugin contract {builtAgainst.ToString(2)}, but this host provides contract {ContractVersion.Current.ToString(2)}; rebuild the plugin against {ContractVersion.Current.ToString(2)}");
            }

            return (loader, assembly);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or InvalidOperationException)
        {
            loader?.Dispose();
            throw new PluginLoadException($"{path}: the plugin assembly failed to load: {e.Message}");
        }
        catch (PluginLoadException)
        {
            loader?.Dispose();
            throw;
        }
    }

    /// <summary>Hashed once per load: the file cannot change under a loaded assembly without a new catalog.</summary>
    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static IEnumerable<PluginDescriptor> Describe(Assembly assembly, string path)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            string first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            throw new PluginLoadException($"{path}: the plugin assembly failed to load its types: {first}");
        }

        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        foreach (var type in types)
        {
            var attribute = type.GetCustomAttribute<CompatLabPluginAttribute>();
            if (attribute is null)
            {
                continue;
            }

            PluginValidation.Validate(type, attribute, path);
            yield return new PluginDescriptor(attribute.Kind, attribute.Name, attribute.Description, version, path, type, attribute.Options)
            {
                UpdateGainReference = attribute.UpdateGainReference,
                Section = attribute.Section,
            };
        }
    }
}
