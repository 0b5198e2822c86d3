using System.Net.Http.Headers;
using System.Text;

namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>
/// The server credentials, read from MLflow's usual environment variables and nowhere else. They only ever go into
/// a request's Authorization header: never into options, params, tags, the spool, files or messages.
/// </summary>
internal sealed class MlflowCredentials
{
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    public const string UserVariable = "MLFLOW_TRACKING_USERNAME";
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    private readonly AuthenticationHeaderValue? header;

    private MlflowCredentials(AuthenticationHeaderValue? header)
    {
        this.header = header;
    }

    public static MlflowCredentials None { get; } = new(null);

    /// <summary>A bearer token wins over a user name and password, as in MLflow's own client.</summary>
    public static MlflowCredentials FromEnvironment(Func<string, string?> variable)
    {
        string? token = variable(TokenVariable);
        if (!string.IsNullOrEmpty(token))
        {
            return new MlflowCredentials(new AuthenticationHeaderValue("Bearer", token));
        }

        string? user = variable(UserVariable);
        string? password = variable(PasswordVariable);
        if (!string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(password))
        {
            string pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            return new MlflowCredentials(new AuthenticationHeaderValue("Basic", pair));
        }

        return None;
    }

    public void Apply(HttpRequestMessage request)
    {
        if (header is not null)
        {
            request.Headers.Authorization = header;
        }
    }

    public override string ToString() => header is null ? "no credentials" : $"{header.Scheme} ***";
}
