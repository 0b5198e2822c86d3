namespace CompatLab.Tests.Pruning;

/// <summary>Masks worked out by brute force on plain arrays: sort by score (descending), then by position.</summary>
internal static class ReferenceMasks
{
    public static bool[] Layer(float[] scores, double capacity)
    {
        long keep = Math.Max(1, (long)Math.Round(capacity * scores.Length, MidpointRounding.AwayFromZero));
        return KeepFirst(Order(scores), keep, scores.Length);
    }

    public static bool[][] Global(float[][] scores, double capacity)
    {
        bool[][] kept = scores.Select(s => new bool[s.Length]).ToArray();
        var rest = new List<(float Score, int Layer, int Index)>();
        for (int l = 0; l < scores.Length; l++)
        {
            int floor = (int)Math.Max(1, Math.Ceiling(scores[l].Length * 2 / 100.0));
            int[] order = Order(scores[l]);
            foreach (int i in order.Take(floor))
            {
                kept[l][i] = true;
            }

            rest.AddRange(order.Skip(floor).Select(i => (scores[l][i], l, i)));
        }

        long total = scores.Sum(s => (long)s.Length);
        long wanted = Math.Max(1, (long)Math.Round(capacity * total, MidpointRounding.AwayFromZero));
        long floors = kept.Sum(k => k.Count(x => x));
        foreach (var (_, l, i) in rest.OrderByDescending(r => r.Score).ThenBy(r => r.Layer).ThenBy(r => r.Index).Take((int)Math.Max(0, wanted - floors)))
        {
            kept[l][i] = true;
        }

        return kept;
    }

    private static int[] Order(float[] scores) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

    private static bool[] KeepFirst(int[] order, long keep, int length)
    {
        bool[] kept = new bool[length];
        foreach (int i in order.Take((int)keep))
        {
            kept[i] = true;
        }

        return kept;
    }
}
