using System.Reflection;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Testing;

/// <summary>
/// Checks that a plugin behaves as the host expects, before a long experiment finds out: gradients flow and are
/// finite, a seeded run repeats exactly, no tensors leak, outputs follow the input's device, bad options are
/// refused naming the option, and a loss adds something the baseline does not. Each method returns a report;
/// call <see cref="ConformanceReport.ThrowIfFailed"/> in a test of any framework.
/// </summary>
public static class ConformanceKit
{
    public static ConformanceReport Loss(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.CompatibilityLoss, settings);

    public static ConformanceReport Backbone(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.Backbone, settings);

    public static ConformanceReport Integrator(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.GradientIntegrator, settings);

    public static ConformanceReport Criterion(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.PruningCriterion, settings);

    public static ConformanceReport Dataset(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.Dataset, settings);

    public static ConformanceReport Tracker(Type plugin, ConformanceSettings? settings = null) => Run(plugin, PluginKind.Tracker, settings);

    /// <summary>Runs the checks of the kind named by the plugin's [CompatLabPlugin] attribute.</summary>
    public static ConformanceReport Check(Type plugin, ConformanceSettings? settings = null)
    {
        var attribute = plugin.GetCustomAttribute<CompatLabPluginAttribute>();
        if (attribute is null)
        {
            return Failed(plugin.FullName ?? plugin.Name, "is a plugin", $"{plugin.FullName} has no [CompatLabPlugin] attribute, so the kit cannot tell its kind.");
        }

        return Run(plugin, attribute.Kind, settings);
    }

    private static ConformanceReport Run(Type plugin, PluginKind kind, ConformanceSettings? settings)
    {
        settings ??= ConformanceSettings.Default;
        var factory = new PluginFactory(plugin, settings);
        if (factory.Attribute.Kind != kind)
        {
            return Failed(factory.Description, $"is a {PluginKinds.DisplayName(kind)}", $"{plugin.FullName} is marked as a {PluginKinds.DisplayName(factory.Attribute.Kind)}, not a {PluginKinds.DisplayName(kind)}.");
        }

        Action<CheckRunner, PluginFactory, ConformanceSettings>? checks = kind switch
        {
            PluginKind.CompatibilityLoss => LossChecks.Run,
            PluginKind.Backbone => BackboneChecks.Run,
            PluginKind.GradientIntegrator => IntegratorChecks.Run,
            PluginKind.PruningCriterion => CriterionChecks.Run,
            PluginKind.Dataset => DatasetChecks.Run,
            PluginKind.Tracker => TrackerChecks.Run,
            _ => null,
        };
        if (checks is null)
        {
            return Failed(factory.Description, "has conformance checks", $"the kit has no checks for plugins of kind '{PluginKinds.DisplayName(kind)}' yet; it cannot vouch for {plugin.FullName}.");
        }

        var runner = new CheckRunner();
        runner.Run("can be built with the given options", () => factory.Create<object>());
        if (runner.Results[0].Passed)
        {
            checks(runner, factory, settings);
        }

        return new ConformanceReport(factory.Description, runner.Results);
    }

    private static ConformanceReport Failed(string plugin, string check, string message) =>
        new(plugin, [new CheckResult(check, false, message)]);
}
