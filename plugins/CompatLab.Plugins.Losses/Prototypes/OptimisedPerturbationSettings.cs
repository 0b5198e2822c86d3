namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>The knobs of <see cref="OptimisedPerturbation.Solve"/>; see OdppOptions for their meaning and defaults.</summary>
public sealed record OptimisedPerturbationSettings(double Scale, int Steps, double LearningRate, double Alpha, double Mu, double Eps);
