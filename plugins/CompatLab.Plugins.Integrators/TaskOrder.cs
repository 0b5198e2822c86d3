namespace CompatLab.Plugins.Integrators;

/// <summary>The order in which a task meets the other tasks when its gradient is projected.</summary>
public static class TaskOrder
{
    /// <summary>
    /// The tasks other than <paramref name="task"/>, shuffled by Fisher-Yates from the back: for k = last..1, swap
    /// k with <c>random.Next(k + 1)</c>. Stated exactly so a scripted <see cref="Random"/> fixes the order in tests.
    /// </summary>
    public static int[] Shuffled(int task, int taskCount, Random random)
    {
        int[] others = Enumerable.Range(0, taskCount).Where(j => j != task).ToArray();
        for (int k = others.Length - 1; k > 0; k--)
        {
            int m = random.Next(k + 1);
            (others[k], others[m]) = (others[m], others[k]);
        }

        return others;
    }
}
