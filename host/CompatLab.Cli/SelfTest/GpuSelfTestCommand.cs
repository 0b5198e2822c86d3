using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runtime;
using TorchSharp;

namespace CompatLab.Cli.SelfTest;

/// <summary>
/// `compatlab selftest gpu [--device cuda]` (hidden): the GPU test category's checks from the CLI, for a GPU
/// machine that has no .NET SDK to run `dotnet test`. Prints PASS/FAIL per check; exit 1 when one failed.
/// </summary>
public static class GpuSelfTestCommand
{
    public static int Run(CliArguments arguments)
    {
        string device = arguments.Device ?? "cuda";
        RuntimeSetup.Prepare(device, new RuntimeSpec());
        var torchDevice = torch.device(device);
        string folder = Path.Combine(Path.GetTempPath(), $"compatlab-selftest-{Environment.ProcessId}");
        var checks = new (string Name, Action Check)[]
        {
            ("tensors match the CPU", () => GpuChecks.TensorsMatchCpu(torchDevice)),
            ("bf16 channels-last step", () => GpuChecks.Bf16ChannelsLastStepRuns(torchDevice)),
            ("every loss and backbone", () => GpuChecks.EveryLossAndBackboneRuns(device, Path.Combine(folder, "losses"), CancellationToken.None)),
            ("every integrator and criterion (PrunNet)", () => GpuChecks.EveryIntegratorAndCriterionRuns(device, Path.Combine(folder, "prunnet"), CancellationToken.None)),
            ("resume on the device", () => GpuChecks.ResumesOnDevice(device, Path.Combine(folder, "resume"), CancellationToken.None)),
        };
        // `selftest gpu WORD` runs only the checks whose name contains WORD.
        string only = arguments.Words.ElementAtOrDefault(2) ?? string.Empty;
        int failed = 0;
        foreach (var (name, check) in checks.Where(c => c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                check();
                System.Console.WriteLine($"SELFTEST PASS {name} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                System.Console.WriteLine($"SELFTEST FAIL {name}: {e.GetType().Name}: {e.Message}");
                System.Console.Error.WriteLine(e);
            }
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        System.Console.WriteLine($"SELFTEST {(failed == 0 ? "all passed" : $"{failed} failed")} on {device}");
        return failed == 0 ? 0 : 1;
    }
}
