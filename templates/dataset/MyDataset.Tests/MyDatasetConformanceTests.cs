using CompatLab.Testing;
using Xunit;

namespace MyDataset.Tests;

/// <summary>
/// The kit builds the plugin with its default options and checks what every plugin of its kind must do (see
/// docs/plugins.md, "Templates and the conformance kit"). A failure message names the check and the reason.
/// </summary>
public class MyDatasetConformanceTests
{
    [Fact]
    public void PassesTheConformanceKit()
    {
        var settings = new ConformanceSettings
        {
            // Values that must be refused; the kit adds NaN for every floating-point option itself.
            BadOptions = new Dictionary<string, object?> { ["classes"] = 1, ["perClass"] = 0 },
        };
        ConformanceKit.Dataset(typeof(MyDataset), settings).ThrowIfFailed();
    }
}
