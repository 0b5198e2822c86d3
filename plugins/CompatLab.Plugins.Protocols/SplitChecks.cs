using System.Globalization;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;

namespace CompatLab.Plugins.Protocols;

/// <summary>The data.split.sequence section's checks: required and sound for the sequence protocol, absent for the others; likewise data.split.openSet for open-set.</summary>
internal static class SplitChecks
{
    public static IEnumerable<(string Key, string Problem)> NoSequence(SplitSpec split)
    {
        if (split.Sequence is not null)
        {
            yield return ("data:split:sequence", $"only used when data.split.type is sequence (it is {split.Type})");
        }
    }

    /// <summary>The data.split.openSet section belongs to the open-set protocol; elsewhere it would be silently ignored.</summary>
    public static IEnumerable<(string Key, string Problem)> NoOpenSet(SplitSpec split)
    {
        if (split.OpenSet is not null)
        {
            yield return ("data:split:openSet", $"only used when data.split.type is open-set (it is {split.Type})");
        }
    }

    public static IEnumerable<(string Key, string Problem)> Sequence(SplitSpec split)
    {
        if (split.Sequence is null)
        {
            yield return ("data:split:sequence", "data.split.type sequence needs a sequence section, e.g. { \"by\": \"class\", \"fractions\": [0.4, 0.7, 1.0] }");
            yield break;
        }

        if (!ProtocolSplit.SequenceKinds.Contains(split.Sequence.By))
        {
            yield return ("data:split:sequence:by", $"expected one of {string.Join(", ", ProtocolSplit.SequenceKinds)}, got \"{split.Sequence.By}\"" + NameSuggester.Hint(split.Sequence.By, ProtocolSplit.SequenceKinds));
        }

        var fractions = split.Sequence.Fractions;
        if (fractions.Count < 2)
        {
            yield return ("data:split:sequence:fractions", $"expected at least two fractions (one per model), got {fractions.Count}");
        }

        if (!fractions.All(f => f is > 0 and <= 1))
        {
            yield return ("data:split:sequence:fractions", "expected every fraction in (0, 1]");
        }

        if (!fractions.Zip(fractions.Skip(1)).All(p => p.Second > p.First))
        {
            yield return ("data:split:sequence:fractions", $"expected strictly growing fractions, got [{string.Join(", ", fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))}]");
        }
    }
}
