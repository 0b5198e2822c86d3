using CompatLab.Abstractions;
using Xunit;

namespace CompatLab.Tests.Tracking;

public class MlflowOptionsTests
{
    [Theory]
    [InlineData("sqlite:///mlflow.db", "\"sqlite:\" URIs are not supported")]
    [InlineData("databricks", "\"databricks:\" URIs are not supported")]
    [InlineData("http://", "not a valid server address")]
    [InlineData("http://127.0.0.1:5000/?x=1", "has a query or fragment")]
    public void UnusableTrackingUrisAreRefusedNamingTheOption(string uri, string expected)
    {
        var error = Assert.Throws<CompatLabUserException>(() => MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = uri }));

        Assert.Contains("trackingUri", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void CredentialsInTheUriAreRefusedWithoutEchoingThem()
    {
        var error = Assert.Throws<CompatLabUserException>(() => MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = "https://alice:pa55word@mlflow.example:5000" }));

        Assert.Contains("MLFLOW_TRACKING_USERNAME", error.Message);
        Assert.DoesNotContain("pa55word", error.Message);
    }

    [Fact]
    public void BadNumbersAreRefusedNamingTheOption()
    {
        var error = Assert.Throws<CompatLabUserException>(() => MlflowPlugin.Create(new Dictionary<string, object> { ["MaxRetries"] = -1, ["RequestTimeoutSeconds"] = 0.0 }));

        Assert.Contains("'maxRetries'", error.Message);
        Assert.Contains("'requestTimeoutSeconds'", error.Message);
    }
}
