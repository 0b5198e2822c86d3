using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Runs;

/// <summary>A sequence's compatibility matrix as Markdown: rows are query models, columns gallery models.</summary>
public static class SequenceTable
{
    public static string Markdown(SequenceScores sequence)
    {
        int models = sequence.Map.Count;
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Compatibility matrix (mAP; query model down, gallery model across; by {sequence.By}, fractions {string.Join(", ", sequence.Fractions)}):"));
        text.AppendLine();
        text.AppendLine("| query \\ gallery | " + string.Join(" | ", Enumerable.Range(1, models).Select(k => $"phi_{k}")) + " |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", models)));
        for (int t = 0; t < models; t++)
        {
            var cells = Enumerable.Range(0, models).Select(k => k <= t ? F(sequence.Map[t][k]) : " ");
            text.AppendLine($"| phi_{t + 1} | " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"AC = {F(sequence.AverageCompatibility)}, AM = {F(sequence.AverageMultiModelAccuracy)}"));
        return text.ToString();
    }

    private static string F(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
