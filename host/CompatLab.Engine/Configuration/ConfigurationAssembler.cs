using System.Collections;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Layers an experiment's merged JSON, then environment variables <c>COMPATLAB__A__B=v</c>, then <c>--set a.b=v</c>
/// overrides (later wins) into one <see cref="IConfigurationRoot"/>, recording where each override came from.
/// </summary>
public static class ConfigurationAssembler
{
    public const string EnvironmentPrefix = "COMPATLAB__";

    /// <param name="environment">Variables to use instead of the process environment (tests); null reads the process's.</param>
    public static IConfigurationRoot Assemble(JsonObject content, ConfigProvenance provenance, IEnumerable<string> sets, IReadOnlyDictionary<string, string>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(content.ToJsonString())));

        if (environment is null)
        {
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    provenance.Record(name[EnvironmentPrefix.Length..].Replace("__", ":"), $"environment variable {name}");
                }
            }

            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            var fromEnvironment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)))
            {
                string key = name[EnvironmentPrefix.Length..].Replace("__", ":");
                fromEnvironment[key] = value;
                provenance.Record(key, $"environment variable {name}");
            }

            builder.AddInMemoryCollection(fromEnvironment);
        }

        builder.AddInMemoryCollection(ParseSets(sets, provenance));
        return builder.Build();
    }

    public static Dictionary<string, string?> ParseSets(IEnumerable<string> sets, ConfigProvenance provenance)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string set in sets)
        {
            int equals = set.IndexOf('=');
            if (equals <= 0)
            {
                throw new ConfigException(new[] { $"--set {set}: expected key=value, e.g. --set new.training.epochs=3" });
            }

            string key = set[..equals].Trim().Replace('.', ':');
            values[key] = set[(equals + 1)..];
            provenance.Record(key, $"--set {set}");
        }

        return values;
    }
}
