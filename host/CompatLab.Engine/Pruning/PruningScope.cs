namespace CompatLab.Engine.Pruning;

/// <summary>How the kept fraction is shared among the maskable layers.</summary>
public enum PruningScope
{
    /// <summary>Every layer keeps the same fraction of its own weights (PrunNet's choice).</summary>
    Layer,

    /// <summary>One threshold over all layers, with a small per-layer floor so no layer is cut off.</summary>
    Global,
}
