using System.Reflection;
using Autofac;
using CompatLab.Abstractions.Plugins;
using McMaster.NETCore.Plugins;
using TorchSharp;

namespace CompatLab.Engine.Plugins;

/// <summary>
/// Loads every plugin assembly from the plugin directories (the built-in families too) through
/// McMaster.NETCore.Plugins, sharing the contract and TorchSharp with the host, and registers each plugin class
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

        builder.RegisterInstance(new LossTermFactory(this)).As<Abstractions.Losses.ICompatibilityLossFactory>();
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
                foreach (var descriptor in Describe(assembly, assemblyPath))
                {
                    var clash = found.FirstOrDefault(p => p.Kind == descriptor.Kind && p.Name == descriptor.Name);
                    if (clash is not null)
                    {
                        throw new PluginLoadException(
                            $"two {descriptor.KindName} plugins are named '{descriptor.Name}': {clash.Implementation.FullName} in {clash.AssemblyPath} and {descriptor.Implementation.FullName} in {descriptor.AssemblyPath}; rename one or remove its assembly");
                    }

                    found.Add(descriptor);
                }
            }
        }

        return new PluginCatalog(found, loaders);
    }

    public IEnumerable<PluginDescriptor> OfKind(PluginKind kind) => Plugins.Where(p => p.Kind == kind);

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

    /// <summary>A new instance of the plugin, given its bound options (null when it takes none).</summary>
    public object Create(PluginDescriptor plugin, object? options)
    {
        var contract = PluginKinds.ContractOf(plugin.Kind);
        try
        {
            return options is null
                ? container.ResolveKeyed(Key(plugin.Kind, plugin.Name), contract)
                : container.ResolveKeyed(Key(plugin.Kind, plugin.Name), contract, new TypedParameter(plugin.OptionsType!, options));
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

            Validate(type, attribute, path);
            yield return new PluginDescriptor(attribute.Kind, attribute.Name, attribute.Description, version, path, type, attribute.Options);
        }
    }

    private static void Validate(Type type, CompatLabPluginAttribute attribute, string path)
    {
        var contract = PluginKinds.ContractOf(attribute.Kind);
        string where = $"{path}: plugin class {type.FullName} ({PluginKinds.DisplayName(attribute.Kind)} '{attribute.Name}')";
        if (type.IsAbstract || !type.IsClass || !type.IsPublic)
        {
            throw new PluginLoadException($"{where} must be a public, non-abstract class");
        }

        if (!contract.IsAssignableFrom(type))
        {
            throw new PluginLoadException($"{where} does not implement {contract.FullName}");
        }

        if (string.IsNullOrWhiteSpace(attribute.Name) || attribute.Name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new PluginLoadException($"{where}: plugin names are lower-case letters, digits and hyphens");
        }

        bool hasConstructor = attribute.Options is null
            ? type.GetConstructor(Type.EmptyTypes) is not null
            : type.GetConstructors().Any(c => c.GetParameters() is [var first, .. var rest] && first.ParameterType == attribute.Options
                && rest.All(p => p.ParameterType == typeof(Abstractions.Losses.ICompatibilityLossFactory)));
        if (!hasConstructor)
        {
            string wanted = attribute.Options is null ? "a public parameterless constructor" : $"a public constructor taking {attribute.Options.Name}";
            throw new PluginLoadException($"{where} needs {wanted}");
        }

        if (attribute.Options is not null && attribute.Options.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"{where}: options class {attribute.Options.Name} needs a public parameterless constructor");
        }
    }
}
