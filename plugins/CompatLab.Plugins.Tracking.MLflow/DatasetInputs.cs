namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>MLflow's names for a run's data set inputs.</summary>
internal static class DatasetInputs
{
    /// <summary>The input tag that holds a data set's role in the run ("train", "test").</summary>
    public const string ContextTag = "mlflow.data.context";
}
