namespace CompatLab.Tests.Losses;

/// <summary>Reference arithmetic in doubles, written out independently of TorchSharp.</summary>
internal static class HandMath
{
    /// <summary>Mean over samples of logsumexp(logits_i) - logits_i[y_i].</summary>
    public static double CrossEntropy(double[][] logits, int[] labels) =>
        logits.Select((row, i) => LogSumExp(row) - row[labels[i]]).Average();

    public static double LogSumExp(double[] row)
    {
        double max = row.Max();
        return max + Math.Log(row.Sum(l => Math.Exp(l - max)));
    }

    public static double[] Softmax(double[] row)
    {
        double lse = LogSumExp(row);
        return row.Select(l => Math.Exp(l - lse)).ToArray();
    }

    public static double Norm(params double[] v) => Math.Sqrt(v.Sum(x => x * x));

    public static double Cos(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum() / (Norm(a) * Norm(b));
}
