using System.Reflection;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Engine.Plugins;

/// <summary>Decides which option values are secrets, so they never reach printouts, params, hashes or logs.</summary>
public static class SecretMasking
{
    public const string Mask = "***";
    private static readonly string[] SecretWords = { "password", "token", "secret", "apikey", "api_key" };

    public static bool IsSecret(PropertyInfo property) =>
        property.GetCustomAttribute<SecretAttribute>() is not null || IsSecretName(property.Name);

    public static bool IsSecretName(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
}
