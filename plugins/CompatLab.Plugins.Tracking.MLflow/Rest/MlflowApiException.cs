namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>The server answered with an error it will give again: {error_code, message} and the HTTP status.</summary>
internal sealed class MlflowApiException : Exception
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    public MlflowApiException(int status, string errorCode, string message)
        : base($"{errorCode} (HTTP {status}): {message}")
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    public string ErrorCode { get; }

    /// <summary>Credentials missing or refused: the records are fine, so they wait in the spool for better ones.</summary>
    public bool IsAuthentication => Status is 401 or 403;
}
