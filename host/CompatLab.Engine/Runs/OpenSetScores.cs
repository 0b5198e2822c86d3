using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Runs;

/// <summary>
/// An open-set run's evaluation in full: the sizes of its query and gallery sets, whether the gallery was ranked by
/// streaming (then full mAP is NaN), and every test with all its Recall@k.
/// </summary>
public sealed record OpenSetScores(long Queries, long Gallery, bool Streamed, IReadOnlyList<OpenSetTest> Tests)
{
    /// <summary>The Markdown table results.md ends with: one row per test, a Recall@k column per configured k.</summary>
    public string Markdown()
    {
        var ks = Tests.SelectMany(t => t.RecallAtK.Keys).Distinct().Order().ToList();
        int k = Tests.Count > 0 ? Tests[0].K : 100;
        var text = new StringBuilder();
        string streamed = Streamed ? " (gallery ranked by streaming: full mAP not available)" : string.Empty;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"open-set: {Queries} queries, {Gallery} gallery images{streamed}"));
        text.AppendLine();
        text.AppendLine($"| test | mAP | mAP@{k} | " + string.Join(" | ", ks.Select(r => $"R@{r}")) + " |");
        text.AppendLine("|---|---|---|" + string.Concat(ks.Select(_ => "---|")));
        foreach (var test in Tests)
        {
            var recalls = ks.Select(r => F(test.RecallAtK.TryGetValue(r, out double v) ? v : double.NaN));
            text.AppendLine($"| {test.Name} | {F(test.Map)} | {F(test.MapAtK)} | " + string.Join(" | ", recalls) + " |");
        }

        return text.ToString();
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("F4", CultureInfo.InvariantCulture);
}

/// <summary>One retrieval test of an open-set run (old self, new self, cross).</summary>
public sealed record OpenSetTest(string Name, double Map, double MapAtK, int K, IReadOnlyDictionary<int, double> RecallAtK);
