using TorchSharp;

namespace CompatLab.Tests.Evaluation;

/// <summary>Small seeded feature sets for the retrieval tests, as managed arrays and as tensors.</summary>
internal static class RetrievalTestData
{
    public static float[][] Gaussian(Random random, int count, int dim)
    {
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new float[dim];
            for (int j = 0; j < dim; j++)
            {
                // Box-Muller; 1 - NextDouble() keeps the log argument away from 0.
                double u = 1 - random.NextDouble();
                double v = random.NextDouble();
                rows[i][j] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
            }
        }

        return rows;
    }

    /// <summary>Vectors on the grid {-1, 0, 1}^dim (never all zero), so many cosine similarities tie exactly.</summary>
    public static float[][] Lattice(Random random, int count, int dim)
    {
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            do
            {
                rows[i] = Enumerable.Range(0, dim).Select(_ => (float)random.Next(-1, 2)).ToArray();
            }
            while (rows[i].All(x => x == 0));
        }

        return rows;
    }

    public static long[] Labels(Random random, int count, int classes) =>
        Enumerable.Range(0, count).Select(_ => (long)random.Next(classes)).ToArray();

    /// <summary>Copies some rows onto others, so those gallery items tie for every query whatever their labels.</summary>
    public static void Duplicate(Random random, float[][] rows, int pairs)
    {
        for (int p = 0; p < pairs; p++)
        {
            rows[random.Next(rows.Length)] = (float[])rows[random.Next(rows.Length)].Clone();
        }
    }

    public static float[][] WithNoise(Random random, float[][] rows, float scale)
    {
        float[][] noise = Gaussian(random, rows.Length, rows[0].Length);
        return rows.Select((row, i) => row.Select((x, j) => x + (scale * noise[i][j])).ToArray()).ToArray();
    }

    public static torch.Tensor Tensor(float[][] rows) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    public static torch.Tensor Tensor(long[] labels) => torch.tensor(labels);
}
