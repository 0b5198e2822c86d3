namespace CompatLab.Abstractions.Plugins;

/// <summary>
/// Marks an option whose value must never be printed, logged, tracked or hashed (tokens, passwords). The host
/// shows it as "***". Options whose names contain password, token, secret or apikey are treated the same.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SecretAttribute : Attribute
{
}
