using CompatLab.Build.KeepAliveWeaver;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: KeepAliveWeaver <TorchSharp.dll> <woven TorchSharp.dll>");
    return 2;
}
try
{
    var report = HandleKeepAlive.Weave(args[0], args[1]);
    Console.WriteLine($"KeepAliveWeaver: {report.Sites} handle reads in {report.Methods} methods of {Path.GetFileName(args[0])} keep their object alive -> {args[1]}");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"KeepAliveWeaver: {args[0]}: {e.Message}");
    return 1;
}
