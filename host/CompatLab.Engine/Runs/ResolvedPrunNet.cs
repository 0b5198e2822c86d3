using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>A validated prunnet section: capacities largest first (1.0 first), the bound integrator, the clip norm.</summary>
public sealed record ResolvedPrunNet(IReadOnlyList<double> Capacities, BoundPlugin Integrator, double GradClipNorm);
