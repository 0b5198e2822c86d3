namespace CompatLab.Engine.Configuration;

/// <summary>A property that receives its raw configuration section, validated later by whoever owns its schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OpaqueSectionAttribute : Attribute
{
}
