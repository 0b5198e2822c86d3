using CompatLab.Abstractions;

namespace CompatLab.Engine.Pruning;

/// <summary>The config names of <see cref="PruningScope"/>: <c>layer</c> and <c>global</c>.</summary>
public static class PruningScopeNames
{
    public static PruningScope Parse(string value, string option) => value switch
    {
        "layer" => PruningScope.Layer,
        "global" => PruningScope.Global,
        _ => throw new CompatLabUserException($"{option}: unknown pruning scope '{value}'; expected 'layer' or 'global'"),
    };

    public static string Name(PruningScope scope) => scope == PruningScope.Global ? "global" : "layer";
}
