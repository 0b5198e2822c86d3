namespace CompatLab.Engine.Plugins;

/// <summary>A plugin chosen by configuration, with its options bound and validated; ready to instantiate.</summary>
public sealed record BoundPlugin(PluginDescriptor Descriptor, object? Options);
