namespace CompatLab.Engine.Runtime;

/// <summary>
/// The libtorch a process runs on: a folder holding libtorch_cpu.so (and, for CUDA, libtorch_cuda.so), or the CPU
/// libtorch bundled beside the application (<see cref="Folder"/> null). <see cref="Looked"/> lists every place the
/// search tried, in order, so an error can say what was looked for and where.
/// </summary>
public sealed record LibTorchChoice(string? Folder, string Source, bool HasCuda, IReadOnlyList<string> Looked)
{
    public const string BundledSource = "bundled";

    public static LibTorchChoice Bundled(IReadOnlyList<string> looked) => new(null, BundledSource, false, looked);

    public bool IsBundled => Folder is null;

    public string Describe() => IsBundled
        ? "the CPU libtorch bundled with compatlab"
        : $"{Folder} (from {Source}{(HasCuda ? ", with CUDA" : ", CPU only")})";
}
