namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>The server could not be reached, or kept failing transiently, through every retry.</summary>
internal sealed class MlflowUnreachableException : Exception
{
    public MlflowUnreachableException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
