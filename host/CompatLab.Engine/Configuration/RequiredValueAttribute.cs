namespace CompatLab.Engine.Configuration;

/// <summary>A string value that must be present and non-empty after all files and overrides are merged.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredValueAttribute : Attribute
{
}
