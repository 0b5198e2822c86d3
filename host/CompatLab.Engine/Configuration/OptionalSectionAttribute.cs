namespace CompatLab.Engine.Configuration;

/// <summary>
/// A section that is null unless the file gives it. While absent it is left out of the resolved configuration, so
/// adding such a section to the spec does not change the content hash (and run folder) of earlier experiments.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionalSectionAttribute : Attribute
{
}
