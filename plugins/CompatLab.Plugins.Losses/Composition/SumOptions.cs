using System.ComponentModel;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses.Composition;

/// <summary>Options of <c>sum</c>: the weighted terms, each another loss plugin with its own options.</summary>
public sealed class SumOptions : IValidatableOptions
{
    // The default (bct alone) keeps `sum` runnable with no options, as tools that try every loss plugin expect.
    [Description("The terms, each { type, weight (default 1), options }: L_comp = sum_k weight_k * L_k. Default: bct alone.")]
    public List<LossTerm> Terms { get; set; } = [new LossTerm { Type = "bct" }];

    [Description("Report each term's mean value over this many optimiser steps (sum/<k>-<type>); one device read per report.")]
    public long ReportEvery { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (Terms.Count == 0)
        {
            yield return "Option 'terms' must list at least one loss, e.g. [{ \"type\": \"bct\", \"weight\": 1 }].";
        }

        if (OptionChecks.AtLeast("reportEvery", ReportEvery, 1) is { } interval)
        {
            yield return interval;
        }

        for (int k = 0; k < Terms.Count; k++)
        {
            foreach (string problem in Terms[k].Problems($"terms[{k}]"))
            {
                yield return problem;
            }
        }
    }
}
