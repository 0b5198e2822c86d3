using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Tests.Backbones;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reliability;

/// <summary>
/// Building a model seeds torch's global generator; two builds at once must not interleave their draws (issue 17:
/// runs built side by side in one process were not reproducible).
/// </summary>
[Collection(TorchRandomCollection.Name)] // tests elsewhere seed the global generator without the gate
public class ConcurrentSeededBuildTests
{
    private const int Threads = 4;
    private const int Rounds = 20;

    [Fact]
    public void ModelsBuiltOnFourThreadsAtOnceEqualASeriallyBuiltOne()
    {
        using var reference = Build();
        var expected = reference.parameters().Select(p => p.detach().clone()).ToList();

        for (int round = 0; round < Rounds; round++)
        {
            using var start = new Barrier(Threads);
            var builds = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return Build();
                },
                TaskCreationOptions.LongRunning)).ToArray();
            var models = builds.Select(b => b.GetAwaiter().GetResult()).ToList();
            try
            {
                foreach (var model in models)
                {
                    var actual = model.parameters().ToList();
                    Assert.Equal(expected.Count, actual.Count);
                    Assert.All(expected.Zip(actual), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0), $"round {round}: a parameter differs"));
                }
            }
            finally
            {
                models.ForEach(m => m.Dispose());
            }
        }

        expected.ForEach(t => t.Dispose());
    }

    private static RetrievalModel Build()
    {
        var backbone = BackbonePlugins.Factory("cnn4", new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "8", ["widths:3"] = "8" });
        return ModelBuilder.Build(backbone, (1, 16, 16), new ModelSpec { EmbeddingDim = 8 }, 4, seed: 11, CPU, withScores: true);
    }
}
