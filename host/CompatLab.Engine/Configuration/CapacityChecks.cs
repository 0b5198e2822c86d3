using System.Globalization;

namespace CompatLab.Engine.Configuration;

/// <summary>The checks PrunNet's trained and evaluated capacity lists share: each a fraction in (0, 1], each listed once.</summary>
internal static class CapacityChecks
{
    public static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool EachAFraction(IReadOnlyList<double> capacities, SpecProblems problems, string key)
    {
        bool valid = true;
        for (int i = 0; i < capacities.Count; i++)
        {
            if (!double.IsFinite(capacities[i]) || capacities[i] <= 0 || capacities[i] > 1)
            {
                problems.Add($"{key}:{i}", $"expected a fraction of weights to keep in (0, 1], got {Text(capacities[i])}");
                valid = false;
            }
        }

        return valid;
    }

    public static bool EachOnce(IReadOnlyList<double> capacities, SpecProblems problems, string key)
    {
        bool valid = true;
        foreach (var repeated in capacities.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            problems.Add(key, $"capacity {Text(repeated.Key)} is listed {repeated.Count()} times; list each capacity once");
            valid = false;
        }

        return valid;
    }
}
