using System.Text.Json;

namespace CompatLab.Cli;

/// <summary>The plugins commands choose when an option leaves it open, read from the embedded cli-defaults.json.</summary>
public sealed record CliDefaults(CliDefaults.PruneChoices Prune, CliDefaults.ExportChoices DataExportImages)
{
    private const string ResourceName = "CompatLab.Cli.cli-defaults.json";

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
    };

    public static CliDefaults Current { get; } = Load();

    private static CliDefaults Load()
    {
        using var stream = typeof(CliDefaults).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the CLI assembly lacks its {ResourceName} resource");
        return JsonSerializer.Deserialize<CliDefaults>(stream, ReadOptions)
            ?? throw new InvalidOperationException($"{ResourceName} is empty");
    }

    public sealed record PruneChoices(string CriterionWithScores, string CriterionWithoutScores, IReadOnlyList<string> CriteriaNeedingScores);

    public sealed record ExportChoices(IReadOnlyList<string> Datasets);
}
