using static CompatLab.Tests.Losses.HandMath;

namespace CompatLab.Tests.Losses;

/// <summary>The prototype-perturbation formulas of methods.md 1.6 in doubles, written out with plain loops.</summary>
internal static class PrototypeMath
{
    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    public static double[] Unit(double[] v)
    {
        double n = Norm(v);
        return n == 0 ? v.Select(_ => 0.0).ToArray() : v.Select(x => x / n).ToArray();
    }

    public static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    public static double[] Sub(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();

    public static double[] Scale(double[] a, double s) => a.Select(x => x * s).ToArray();

    public static double[] Mean(double[][] rows) =>
        Enumerable.Range(0, rows[0].Length).Select(d => rows.Average(r => r[d])).ToArray();

    public static double[][] Units(double[][] rows) => rows.Select(Unit).ToArray();

    /// <summary>p_c = norm(o_c + delta_c).</summary>
    public static double[][] Pseudo(double[][] old, double[][] delta) => old.Select((o, c) => Unit(Add(o, delta[c]))).ToArray();

    /// <summary>NDPP's delta (clipped) from unit old prototypes and raw new class means, every class seen.</summary>
    public static double[][] NdppDelta(double[][] old, double[][] newMeans, int k, double t, double beta, double eps)
    {
        double[][] fresh = Units(newMeans);
        double[] oldCentre = Mean(old);
        double[] newCentre = Mean(fresh);
        double[][] oldCentred = old.Select(o => Unit(Sub(o, oldCentre))).ToArray();
        double[][] newCentred = fresh.Select(n => Unit(Sub(n, newCentre))).ToArray();
        var delta = new double[old.Length][];
        for (int c = 0; c < old.Length; c++)
        {
            int[] neighbours = Enumerable.Range(0, old.Length).Where(j => j != c)
                .OrderByDescending(j => Dot(old[c], old[j])).Take(k).ToArray();
            double[] attention = Softmax(neighbours.Select(j => Dot(old[c], old[j]) / t).ToArray());
            double[] sum = new double[old[c].Length];
            for (int i = 0; i < neighbours.Length; i++)
            {
                int j = neighbours[i];
                double gap = Math.Max(0, Dot(oldCentred[c], oldCentred[j]) - Dot(newCentred[c], newCentred[j]));
                sum = Add(sum, Scale(Unit(Sub(old[c], old[j])), attention[i] * gap));
            }

            delta[c] = Clip(Scale(sum, beta), eps);
        }

        return delta;
    }

    public static double[] Clip(double[] v, double eps) => Norm(v) > eps ? Scale(v, eps / Norm(v)) : v;

    /// <summary>Mean over rows of CE(s * cos(f_i, p), y_i).</summary>
    public static double PrototypeCrossEntropy(double[][] features, int[] labels, double[][] pseudo, double scale) =>
        CrossEntropy(features.Select(f => pseudo.Select(p => scale * Cos(f, p)).ToArray()).ToArray(), labels);

    /// <summary>ODPP's objective for a given delta over a bank of (old, new, label) rows.</summary>
    public static double OdppObjective(double[][] old, double[][] delta, double[][] bankOld, double[][] bankNew, int[] labels, double scale, double alpha, double mu)
    {
        double[][] pseudo = Pseudo(old, delta);
        return PrototypeCrossEntropy(bankOld, labels, pseudo, scale)
            + (alpha * PrototypeCrossEntropy(bankNew, labels, pseudo, scale))
            + (mu * delta.Sum(row => row.Sum(x => x * x)));
    }
}
