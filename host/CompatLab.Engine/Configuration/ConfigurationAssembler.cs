using System.Collections;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Layers the defaults (<see cref="DefaultsLayer"/>), an experiment's merged JSON, then environment variables
/// <c>COMPATLAB__A__B=v</c>, then <c>--set a.b=v</c> overrides (later wins) into one <see cref="IConfigurationRoot"/>,
/// recording where each override came from.
/// </summary>
public static class ConfigurationAssembler
{
    public const string EnvironmentPrefix = "COMPATLAB__";

    /// <param name="environment">Variables to use instead of the process environment (tests); null reads the process's.</param>
    /// <param name="defaults">The layer under the file; null assembles the file and its overrides alone.</param>
    public static IConfigurationRoot Assemble(JsonObject content, ConfigProvenance provenance, IEnumerable<string> sets, IReadOnlyDictionary<string, string>? environment = null, DefaultsLayer? defaults = null)
    {
        var overrides = Overrides(provenance, sets, environment);
        if (defaults is not null)
        {
            // Which optional sections the experiment gives is known only once its overrides are layered too.
            var given = Build(content, overrides);
            content = defaults.Under(content, key => Given(given, key));
        }

        return Build(content, overrides);
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

    /// <summary>Whether the key was given at all: an empty section ("prunnet": {}) has no value and no children, yet counts.</summary>
    private static bool Given(IConfiguration root, string key)
    {
        int cut = key.LastIndexOf(':');
        var parent = cut < 0 ? root : root.GetSection(key[..cut]);
        string name = key[(cut + 1)..];
        return parent.GetChildren().Any(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
    }

    private static IConfigurationRoot Build(JsonObject content, Action<IConfigurationBuilder> overrides)
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(content.ToJsonString())));
        overrides(builder);
        return builder.Build();
    }

    /// <summary>Reads the environment and the --set values once (recording their sources) and adds them to a builder.</summary>
    private static Action<IConfigurationBuilder> Overrides(ConfigProvenance provenance, IEnumerable<string> sets, IReadOnlyDictionary<string, string>? environment)
    {
        var fromEnvironment = environment is null ? null : Environment(environment, provenance);
        if (environment is null)
        {
            RecordProcessEnvironment(provenance);
        }

        var fromSets = ParseSets(sets, provenance);
        return builder =>
        {
            if (fromEnvironment is null)
            {
                builder.AddEnvironmentVariables(EnvironmentPrefix);
            }
            else
            {
                builder.AddInMemoryCollection(fromEnvironment);
            }

            builder.AddInMemoryCollection(fromSets);
        };
    }

    private static void RecordProcessEnvironment(ConfigProvenance provenance)
    {
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                provenance.Record(name[EnvironmentPrefix.Length..].Replace("__", ":"), $"environment variable {name}");
            }
        }
    }

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string> environment, ConfigProvenance provenance)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            string key = name[EnvironmentPrefix.Length..].Replace("__", ":");
            values[key] = value;
            provenance.Record(key, $"environment variable {name}");
        }

        return values;
    }
}
