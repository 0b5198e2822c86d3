using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>Tests that set MLflow's credential variables in this process run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MlflowEnvironmentCollection
{
    public const string Name = "mlflow environment";
}
