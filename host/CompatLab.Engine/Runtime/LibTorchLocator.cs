using CompatLab.Abstractions;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Finds the libtorch to load, in order: an explicit folder (<c>COMPATLAB_LIBTORCH</c>, then <c>runtime.libtorch</c>),
/// then, only when CUDA is wanted, the torch of a Python installation (its <c>torch/lib</c>), else the bundled CPU
/// libtorch. Python is not asked for CPU runs: a CPU-only PyTorch (Debian's 1.13) would replace the bundled
/// libtorch TorchSharp was built for, and importing torch costs seconds at every start.
/// </summary>
public sealed class LibTorchLocator
{
    public const string Variable = "COMPATLAB_LIBTORCH";

    public const string PythonQuery = "import torch,os;print(os.path.dirname(torch.__file__))";

    private readonly Func<string, string?> environment;
    private readonly Func<string, bool> fileExists;
    private readonly Func<string, string?> pythonTorchFolder;

    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="fileExists">Whether a file exists.</param>
    /// <param name="pythonTorchFolder">Runs the interpreter with <see cref="PythonQuery"/>: torch's package folder, or null.</param>
    public LibTorchLocator(Func<string, string?> environment, Func<string, bool> fileExists, Func<string, string?> pythonTorchFolder)
    {
        this.environment = environment;
        this.fileExists = fileExists;
        this.pythonTorchFolder = pythonTorchFolder;
    }

    public static LibTorchLocator ForThisMachine() =>
        new(Environment.GetEnvironmentVariable, File.Exists, PythonTorch.Folder);

    /// <summary>The libtorch for <paramref name="device"/>; a user error when CUDA is wanted and none with CUDA is found.</summary>
    public LibTorchChoice Locate(string device, string? configuredFolder, string python)
    {
        bool wantCuda = device.StartsWith("cuda", StringComparison.Ordinal);
        var looked = new List<string>();
        if (environment(Variable) is { Length: > 0 } fromEnvironment)
        {
            return Explicit(fromEnvironment, Variable, wantCuda, looked);
        }

        looked.Add($"{Variable} (not set)");
        if (configuredFolder is { Length: > 0 })
        {
            return Explicit(configuredFolder, "runtime.libtorch", wantCuda, looked);
        }

        looked.Add("runtime.libtorch (not set)");
        if (!wantCuda)
        {
            return LibTorchChoice.Bundled(looked);
        }

        string? torchFolder = pythonTorchFolder(python);
        if (torchFolder is null)
        {
            looked.Add($"the torch package of '{python}' (runtime.python): '{python} -c \"{PythonQuery}\"' found no torch");
        }
        else
        {
            string lib = Path.Combine(torchFolder, "lib");
            if (fileExists(Path.Combine(lib, "libtorch_cuda.so")))
            {
                return new LibTorchChoice(lib, $"{python}'s torch", true, looked);
            }

            looked.Add($"{lib} ({python}'s torch): no libtorch_cuda.so, a CPU-only PyTorch");
        }

        looked.Add("the bundled libtorch: CPU only");
        throw new CompatLabUserException(
            $"device \"{device}\" needs a libtorch built with CUDA, and none was found. Looked at: {string.Join("; ", looked)}. " +
            $"Install a CUDA PyTorch for '{python}', or set {Variable} (or runtime.libtorch) to a folder holding libtorch_cuda.so; see docs/gpu.md");
    }

    private LibTorchChoice Explicit(string folder, string source, bool wantCuda, List<string> looked)
    {
        string full = Path.GetFullPath(folder);
        if (!fileExists(Path.Combine(full, "libtorch_cpu.so")))
        {
            throw new CompatLabUserException($"{source}: '{folder}' holds no libtorch_cpu.so; expected a libtorch lib folder such as <site-packages>/torch/lib");
        }

        bool hasCuda = fileExists(Path.Combine(full, "libtorch_cuda.so"));
        if (wantCuda && !hasCuda)
        {
            looked.Add($"{full} ({source}): no libtorch_cuda.so");
            throw new CompatLabUserException($"device asks for CUDA, but the libtorch {source} names has no CUDA build: {full} holds no libtorch_cuda.so. Looked at: {string.Join("; ", looked)}");
        }

        return new LibTorchChoice(full, source, hasCuda, looked);
    }
}
