using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Plugins;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Integrators;

/// <summary>
/// Integrator plugins created through the host's catalog, with options set as if bound from config. The catalog
/// reads only this family's folder, so these tests do not depend on the other plugin families.
/// </summary>
internal static class IntegratorPlugins
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() =>
        PluginCatalog.Load([Path.Combine(PluginCatalog.DefaultDirectory, "CompatLab.Plugins.Integrators")]));

    public static IGradientIntegrator Create(string name, IReadOnlyDictionary<string, object>? options = null)
    {
        var plugin = Catalog.Value.Find(PluginKind.GradientIntegrator, name, "test");
        object? bound = null;
        if (plugin.OptionsType is not null)
        {
            bound = Activator.CreateInstance(plugin.OptionsType)!;
            foreach ((string key, object value) in options ?? new Dictionary<string, object>())
            {
                plugin.OptionsType.GetProperty(key)!.SetValue(bound, value);
            }
        }

        return (IGradientIntegrator)Catalog.Value.Create(plugin, bound);
    }

    /// <summary>Runs the integrator and returns the merged gradient as doubles plus its telemetry.</summary>
    public static (double[] Gradient, IReadOnlyDictionary<string, double> Telemetry) Merge(
        IGradientIntegrator integrator, double[][] taskGradients, long[] shape, bool rowWise, Random random)
    {
        using var scope = NewDisposeScope();
        var gradients = taskGradients.Select(g => tensor(g, dtype: ScalarType.Float64).reshape(shape)).ToList();
        var context = new GradientIntegrationContext("test.weight", 7, random) { RowWise = rowWise };
        var result = integrator.Integrate(gradients, context);
        Assert.Equal(shape, result.Gradient.shape);
        return (result.Gradient.flatten().data<double>().ToArray(), result.Telemetry);
    }
}
