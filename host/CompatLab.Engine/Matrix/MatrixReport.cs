using System.Globalization;
using System.Text;
using System.Text.Json;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The summary after a matrix: one table (Markdown and CSV; the CSV also names each cell's device from its manifest), the same as JSON, and a PNG chart of old self-test,
/// new self-test and cross-test mAP per cell, written to &lt;output&gt;/&lt;name&gt;/summary.*. Failed cells are listed. When
/// a setting ran with several seeds the table gains a mean ± std section, and summary-by-setting.png shows it. PrunNet
/// runs add their per-capacity and integrator tables, a summary-capacity-&lt;setting&gt;.png per setting and
/// summary-capacity.png comparing every setting's sub-to-dense curve; the self-vs-cross charts are left out when no
/// run has an old model.
/// </summary>
public static class MatrixReport
{
    public static string Write(string folder, IReadOnlyList<CellOutcome> outcomes)
    {
        Directory.CreateDirectory(folder);
        var finished = outcomes.Where(o => o.Succeeded).Select(o => (o.Result!, o.Experiment.OldModelKey)).ToList();
        var gains = MatrixSummary.UpdateGains(outcomes);
        var results = finished.Select(f => f.Item1).ToList();
        var failures = outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Experiment.Label}: {o.Error}").ToList();

        string table = ResultsTable.Markdown(results, gains);
        var groups = SeedGroup.From(results, gains);
        if (groups.Any(g => g.Seeds.Count > 1))
        {
            table += "\nMean ± sample std over seeds:\n\n" + SeedGroupTable.Markdown(groups);
        }

        var capacities = CapacityGroup.From(results);
        IReadOnlyList<IntegratorGroup> integrators = capacities.Count == 0 ? [] : IntegratorGroup.From(results, r => IntegratorTelemetry.Read(r.RunFolder, m => System.Console.Error.WriteLine("warning: " + m)));
        if (capacities.Count > 0)
        {
            table += "\n" + PrunNetSummaryTable.Markdown(capacities, integrators);
        }

        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), table + string.Concat(failures.Select(f => $"\nfailed: {f}")) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.csv"), Csv(outcomes, gains));
        object summary = capacities.Count == 0
            ? new { results, bySetting = groups.Select(Json), failures }
            : new { results, bySetting = groups.Select(Json), byCapacity = capacities.Select(Json), byIntegrator = integrators.Select(Json), failures };
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, JsonFormats.Indented));
        // Self-test vs cross-test bars need old models; a matrix of PrunNet runs alone has none to show.
        if (results.Any(r => r.Cross is not null))
        {
            SummaryChart.Save(Path.Combine(folder, "summary.png"), results);
            SeedGroupChart.Save(Path.Combine(folder, "summary-by-setting.png"), groups, $"{Path.GetFileName(Path.GetFullPath(folder))}: self-test vs cross-test");
        }

        foreach (string setting in capacities.Select(c => c.Setting).Distinct())
        {
            CapacityChart.Save(Path.Combine(folder, CapacityChart.FileName(setting)), setting, capacities);
        }

        if (capacities.Count > 0)
        {
            CapacityChart.SaveComparison(Path.Combine(folder, CapacityChart.ComparisonFileName), $"{Path.GetFileName(Path.GetFullPath(folder))}: sub-to-dense mAP vs capacity", capacities);
        }

        return table;
    }

    private static double? N(double v) => double.IsFinite(v) ? v : null;

    private static object S(MeanStd v) => new { mean = N(v.Mean), std = N(v.Std), count = v.Count };

    private static object Json(CapacityGroup c) => new
    {
        setting = c.Setting,
        method = c.Method,
        criterion = c.Criterion,
        scope = c.Scope,
        capacity = c.Capacity,
        seeds = c.Seeds,
        subSelfMap = S(c.SubSelf),
        subToDenseMap = S(c.Cross),
        keptFraction = S(c.KeptFraction),
        keptParameters = S(c.KeptParameters),
    };

    private static object Json(IntegratorGroup i) => new
    {
        setting = i.Setting,
        method = i.Method,
        criterion = i.Criterion,
        scope = i.Scope,
        seeds = i.Seeds,
        meanSubToDenseMap = S(i.MeanCross),
        conflictPairFraction = S(i.ConflictPairFraction),
        conflictRowFraction = S(i.ConflictRowFraction),
    };

    /// <summary>JSON has no NaN: a score that is undefined (std of one seed, gain without an independent run) is null.</summary>
    private static object Json(SeedGroup g)
    {
        return new
        {
            setting = g.Setting,
            loss = g.Loss,
            seeds = g.Seeds,
            oldSelfMap = S(g.OldSelf),
            newSelfMap = S(g.NewSelf),
            crossMap = S(g.Cross),
            eccPasses = g.HasCrossTest ? g.EccPasses : (int?)null,
            updateGain = S(g.UpdateGain),
        };
    }

    /// <summary>The device the cell's run recorded (the GPU its worker was given), or empty when it recorded none.</summary>
    private static string DeviceOf(ResolvedExperiment cell)
    {
        try
        {
            return RunManifest.Read(cell.RunFolder)?.Device?.Label ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return string.Empty; // a damaged manifest does not stop the summary
        }
    }

    private static string Csv(IReadOnlyList<CellOutcome> outcomes, IReadOnlyDictionary<RunResult, double> gains)
    {
        static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
        var text = new StringBuilder("cell,loss,seed,status,old_self_map,new_self_map,cross_map,cross_map_at_k,cross_recall_at_1,ecc,update_gain,run_folder,error,device\n");
        foreach (var outcome in outcomes)
        {
            var r = outcome.Result;
            string gain = r is not null && gains.TryGetValue(r, out double g) ? F(g) : string.Empty;
            text.AppendLine(string.Join(',', new[]
            {
                outcome.Experiment.Label,
                outcome.Experiment.Method,
                outcome.Experiment.Spec.Seed.ToString(CultureInfo.InvariantCulture),
                outcome.Succeeded ? "finished" : "failed",
                F(r?.OldSelf?.Map),
                F(r?.NewSelf.Map),
                F(r?.Cross?.Map),
                F(r?.Cross?.MapAtK),
                F(r?.Cross?.RecallAt1),
                r?.Cross is null ? string.Empty : r.Ecc ? "pass" : "fail",
                gain,
                outcome.Experiment.RunFolder,
                "\"" + (outcome.Error ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
                DeviceOf(outcome.Experiment),
            }));
        }

        return text.ToString();
    }
}
