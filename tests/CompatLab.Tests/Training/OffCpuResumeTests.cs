using CompatLab.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Training;

/// <summary>
/// Resuming a checkpoint on a GPU. TorchSharp's Module.load moves a module it knows to be on cuda to the CPU and back,
/// replacing the parameters an optimiser holds (the resume failed with "Tensor invalid -- empty handle"), and reads
/// optimiser state onto the CPU. Without a GPU in CI, the meta device stands in for "not the CPU": the weights must be
/// copied into the tensors the model has, on their device, and the optimiser's state must follow them. On a GPU,
/// `compatlab selftest gpu` checks the whole resume.
/// </summary>
public class OffCpuResumeTests
{
    private static readonly Device Meta = new(DeviceType.META);

    [Fact]
    public void InPlaceLoadKeepsTheParameterObjectsTheOptimiserHolds()
    {
        using var source = nn.Linear(3, 2);
        using var stream = new MemoryStream();
        source.save(new BinaryWriter(stream));
        using var model = nn.Linear(3, 2).to(Meta);
        var held = model.parameters().ToList();
        using var optimizer = optim.SGD(held, 0.1, 0.9);

        stream.Position = 0;
        InPlaceModuleLoad.Load(model, new BinaryReader(stream));

        Assert.Equal(held, model.parameters().ToList(), ReferenceEqualityComparer.Instance);
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.Equal(held.Count, optimizer.state_dict().State.Count); // would throw on a disposed parameter
    }

    [Fact]
    public void LoadRefusesACheckpointOfAnotherShapeOfModelNamingTheKey()
    {
        using var source = nn.Sequential(("first", nn.Linear(3, 2)));
        using var stream = new MemoryStream();
        source.save(new BinaryWriter(stream));
        using var model = nn.Sequential(("other", nn.Linear(3, 2)));

        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => InPlaceModuleLoad.Load(model, new BinaryReader(stream)));

        Assert.Contains("'first.weight'", error.Message);
    }

    [Fact]
    public void LoadedMomentumFollowsTheParametersDevice()
    {
        using var source = nn.Linear(3, 2);
        using var sourceOptimizer = optim.SGD(source.parameters(), 0.1, 0.9);
        using (NewDisposeScope())
        {
            source.forward(ones(4, 3)).sum().backward();
            sourceOptimizer.step();
        }

        using var stream = new MemoryStream();
        sourceOptimizer.save_state_dict(new BinaryWriter(stream));
        using var model = nn.Linear(3, 2).to(Meta);
        using var optimizer = optim.SGD(model.parameters(), 0.1, 0.9);
        stream.Position = 0;
        optimizer.load_state_dict(new BinaryReader(stream));

        OptimizerStateDevice.Follow(optimizer, Meta);

        var buffers = optimizer.state_dict().State.Cast<SGD.State>().Select(s => s.momentum_buffer).ToList();
        Assert.Equal(2, buffers.Count);
        Assert.All(buffers, b => Assert.Equal(DeviceType.META, b.device_type));
    }
}
