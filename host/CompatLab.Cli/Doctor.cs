using System.Globalization;
using System.Runtime.InteropServices;
using CompatLab.Engine.Devices;
using CompatLab.Engine.Runtime;
using TorchSharp;

namespace CompatLab.Cli;

/// <summary>
/// `compatlab doctor [--device cpu|cuda]`: what this process runs on (.NET, TorchSharp, the libtorch loaded and
/// whether it has every op the shim imports, devices, threads, allocator, CPU). Exit 1 when the shim and the
/// libtorch do not match or a libtorch library is mapped twice.
/// </summary>
public static class Doctor
{
    private static readonly string[] IsaFlags = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "avx_vnni", "amx_bf16", "amx_tile"];

    public static int Run(CliArguments arguments)
    {
        string device = arguments.Device ?? "cpu";
        var choice = RuntimeSetup.Prepare(device, null);
        var output = System.Console.Out;
        output.WriteLine($"compatlab      {typeof(Program).Assembly.GetName().Version?.ToString(3)}");
        output.WriteLine($".NET           {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        output.WriteLine($"TorchSharp     {LibTorchActivation.TorchSharpVersion()} (shim {LibTorchActivation.ShimPath() ?? "not found"})");
        output.WriteLine($"  keep-alive   {TorchSharpKeepAlive.Describe()}");
        output.WriteLine($"libtorch       {choice.Describe()}");
        output.WriteLine($"  version      {LibTorchVersion.Describe(choice)}");
        output.WriteLine($"  searched     {(choice.Looked.Count == 0 ? "-" : string.Join("; ", choice.Looked))}");
        output.WriteLine($"threads        torch {torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op; {Environment.ProcessorCount} logical CPUs");
        bool cuda = choice.HasCuda && torch.cuda.is_available();
        output.WriteLine($"CUDA           {(cuda ? $"available, {torch.cuda.device_count()} device(s); runtime {CudaRuntimeInfo.RuntimeVersion()}, driver {CudaRuntimeInfo.DriverVersion()}" : "not available")}");
        output.WriteLine($"cuDNN          {(cuda && torch.cuda.is_cudnn_available() ? $"available, version {CudaRuntimeInfo.CudnnVersionText()}" : "not available")}");
        if (cuda)
        {
            foreach (var gpu in CudaRuntimeInfo.Devices(torch.cuda.device_count()))
            {
                output.WriteLine($"  cuda:{gpu.Index}       {gpu.Name}, {Gib(gpu.TotalBytes)} GiB ({Gib(gpu.FreeBytes)} GiB free)");
            }
        }

        output.WriteLine($"allocator      {Jemalloc.ActiveAllocator()}");
        output.WriteLine($"JPEG decoder   {JpegDecoder()}");
        var (model, flags) = CpuInfo();
        output.WriteLine($"CPU            {model}");
        output.WriteLine($"  ISA          {string.Join(' ', IsaFlags.Where(flags.Contains))}");
        output.WriteLine($"  oneDNN ISA   {OneDnnIsa.Describe()} (docs/reliability.md, NaN on Zen 5)");
        return Libraries(output);
    }

    /// <summary>The mapped libraries and the symbol check; 1 when something is wrong.</summary>
    private static int Libraries(TextWriter output)
    {
        var loaded = LibTorchActivation.LoadedLibraries();
        output.WriteLine("loaded");
        foreach (string library in loaded)
        {
            output.WriteLine($"  {library}");
        }

        var duplicates = LibTorchActivation.DuplicateLibraries(loaded);
        foreach (string duplicate in duplicates)
        {
            output.WriteLine($"  PROBLEM: mapped twice from different files: {duplicate}");
        }

        string? shim = loaded.FirstOrDefault(p => Path.GetFileName(p).StartsWith("libLibTorchSharp", StringComparison.Ordinal)) ?? LibTorchActivation.ShimPath();
        if (shim is null)
        {
            output.WriteLine("symbols        shim not found");
            return 1;
        }

        var report = NativeSymbolCheck.CheckLoaded(shim, loaded);
        output.WriteLine(SymbolSummary(report));
        return report.Mismatch || duplicates.Count > 0 ? 1 : 0;
    }

    public static string SymbolSummary(NativeSymbolReport report)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"symbols        {report.Resolved} of {report.Imported} the shim imports resolve");
        if (report.MissingOther.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {report.MissingOther.Count} C/C++ runtime symbol(s) absent ({string.Join(", ", report.MissingOther.Take(5))}), harmless unless called");
        }

        if (report.Mismatch)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  MISMATCH: {report.MissingTorch.Count} libtorch op(s) the shim calls are missing from this libtorch (TorchSharp {LibTorchActivation.TorchSharpVersion()} is built for libtorch {torch.__version__}); a run would abort when it first calls one:");
            foreach (string name in report.MissingTorch.Take(40))
            {
                text.AppendLine().Append("    ").Append(name);
            }

            if (report.MissingTorch.Count > 40)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"    ... and {report.MissingTorch.Count - 40} more");
            }
        }

        return text.ToString();
    }

    private static string Gib(long bytes) => bytes < 0 ? "?" : (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);

    private static (string Model, IReadOnlySet<string> Flags) CpuInfo()
    {
        var cpu = CpuIdentity.Current();
        return (cpu.ModelName.Length > 0 ? cpu.ModelName : RuntimeInformation.ProcessArchitecture.ToString(), cpu.Flags);
    }

    /// <summary>What the image datasets' `decoder: auto` picks for JPEG files (docs/datasets.md, "Decoding"): the probe they make.</summary>
    private static string JpegDecoder()
    {
        if (!NativeLibrary.TryLoad("libturbojpeg.so.0", out nint library))
        {
            return "skia (libturbojpeg not found; the Debian package libturbojpeg0 gives image datasets the faster JPEG decoder)";
        }

        NativeLibrary.Free(library);
        return "turbojpeg (libturbojpeg.so.0), for image datasets with decoder: auto";
    }
}
