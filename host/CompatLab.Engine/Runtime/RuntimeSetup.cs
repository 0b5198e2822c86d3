using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Runtime;

/// <summary>Puts the process on the libtorch an experiment needs and applies its cuDNN mode; once, before any tensor.</summary>
public static class RuntimeSetup
{
    public static LibTorchChoice Prepare(string device, RuntimeSpec? runtime, LibTorchLocator? locator = null)
    {
        runtime ??= new RuntimeSpec();
        var choice = (locator ?? LibTorchLocator.ForThisMachine()).Locate(device, runtime.Libtorch, runtime.Python);
        LibTorchActivation.Activate(choice);
        if (choice.HasCuda)
        {
            CudnnSwitches.Apply(runtime.Deterministic);
        }

        return choice;
    }
}
