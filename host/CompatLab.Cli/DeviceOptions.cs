using CompatLab.Abstractions;

namespace CompatLab.Cli;

/// <summary>The matrix options that hand out GPUs, checked against the way the cells are run before anything starts.</summary>
public static class DeviceOptions
{
    public static void Check(CliArguments arguments)
    {
        if (arguments.Gpus is { } gpus)
        {
            string option = $"--gpus {string.Join(',', gpus)}";
            if (arguments.Slurm)
            {
                throw new CompatLabUserException($"{option}: Slurm gives each task its GPU (--gres, default gpu:1); --gpus is for local workers (--workers N)");
            }

            if (arguments.Cell is not null)
            {
                throw new CompatLabUserException($"{option}: a single --cell runs on the GPUs its process sees; choose one with CUDA_VISIBLE_DEVICES or device cuda:N");
            }
        }

        if (arguments.Gres is not null && !arguments.Slurm)
        {
            throw new CompatLabUserException($"--gres {arguments.Gres}: what a Slurm task asks for, so only with --slurm");
        }
    }
}
