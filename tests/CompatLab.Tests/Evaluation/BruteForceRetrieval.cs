using CompatLab.Engine.Evaluation;

namespace CompatLab.Tests.Evaluation;

/// <summary>
/// The retrieval metrics written out plainly, one query at a time in doubles, as the reference the tensor
/// implementation must agree with. Same conventions: similarities compared on a
/// 2^-24 grid, ties ranked by ascending gallery index, self excluded when asked, queries without a relevant item
/// left out of the means.
/// </summary>
internal static class BruteForceRetrieval
{
    internal sealed record Result(double Map, double MapAtK, Dictionary<int, double> RecallAtK, int WithoutRelevant);

    public static Result Evaluate(
        float[][] queries, long[] queryLabels, float[][] gallery, long[] galleryLabels, bool excludeSelf, int k, int[] recallKs)
    {
        double[][] q = queries.Select(Normalise).ToArray();
        double[][] g = gallery.Select(Normalise).ToArray();
        double apSum = 0;
        double apAtKSum = 0;
        var recallHits = recallKs.ToDictionary(r => r, _ => 0);
        int scored = 0;
        int withoutRelevant = 0;

        for (int i = 0; i < q.Length; i++)
        {
            var candidates = new List<(int Index, double Similarity)>();
            for (int j = 0; j < g.Length; j++)
            {
                if (!(excludeSelf && i == j))
                {
                    // Compared on the evaluator's documented grid; Math.Round rounds half to even like torch.
                    candidates.Add((j, Math.Round(Dot(q[i], g[j]) * RetrievalEvaluator.ComparisonGridSteps)));
                }
            }

            // LINQ ordering is stable, and ThenBy makes the index tie-break explicit anyway.
            bool[] relevant = candidates
                .OrderByDescending(c => c.Similarity)
                .ThenBy(c => c.Index)
                .Select(c => galleryLabels[c.Index] == queryLabels[i])
                .ToArray();
            int relevantCount = relevant.Count(r => r);
            if (relevantCount == 0)
            {
                withoutRelevant++;
                continue;
            }

            scored++;
            double precisionSum = 0;
            double precisionSumAtK = 0;
            int hits = 0;
            for (int rank = 1; rank <= relevant.Length; rank++)
            {
                if (relevant[rank - 1])
                {
                    hits++;
                    precisionSum += (double)hits / rank;
                    if (rank <= k)
                    {
                        precisionSumAtK += (double)hits / rank;
                    }
                }
            }

            apSum += precisionSum / relevantCount;
            apAtKSum += precisionSumAtK / Math.Min(relevantCount, k);
            foreach (int r in recallKs)
            {
                if (relevant.Take(r).Any(x => x))
                {
                    recallHits[r]++;
                }
            }
        }

        return new Result(
            apSum / scored,
            apAtKSum / scored,
            recallHits.ToDictionary(p => p.Key, p => (double)p.Value / scored),
            withoutRelevant);
    }

    private static double[] Normalise(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
