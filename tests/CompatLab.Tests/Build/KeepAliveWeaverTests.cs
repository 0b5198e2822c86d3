using System.Reflection;
using System.Runtime.Loader;
using CompatLab.Build.KeepAliveWeaver;
using CompatLab.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompatLab.Tests.Build;

/// <summary>
/// The rewrite of build/KeepAliveWeaver on a small assembly shaped like TorchSharp (classes with a native handle and a
/// finalizer): every handle read is kept alive to the end of its method, and the methods still compute the same.
/// </summary>
public sealed class KeepAliveWeaverTests
{
    private const string Source = """
        namespace Shaped
        {
            public class Native
            {
                internal System.IntPtr handle;
                public Native(long value) { handle = (System.IntPtr)value; }
                public System.IntPtr Handle => handle;
                ~Native() { }
            }

            public static class Calls
            {
                public static long Sum(Native a, Native b) => (long)a.Handle + (long)b.handle;

                // The ternary leaves its object on the stack across a branch into the handle read.
                public static long Pick(bool first, Native a, Native b)
                {
                    if (a.Handle == System.IntPtr.Zero) { return -1; }
                    return (long)(first ? a : b).Handle;
                }

                public static long Total(Native[] all)
                {
                    long total = 0;
                    foreach (var one in all) { total += (long)one.Handle; }
                    return total;
                }

                public static long NoHandle(long x) => x + 1;
            }
        }
        """;

    [Fact]
    public void WovenMethodsComputeWhatTheyDidBefore()
    {
        var calls = LoadWoven(out _).GetType("Shaped.Calls", throwOnError: true)!;
        var native = calls.Assembly.GetType("Shaped.Native", throwOnError: true)!;
        object Native(long value) => Activator.CreateInstance(native, value)!;
        object? Call(string name, params object[] arguments) => calls.GetMethod(name)!.Invoke(null, arguments);

        Assert.Equal(7L, Call("Sum", Native(3), Native(4)));
        Assert.Equal(3L, Call("Pick", true, Native(3), Native(4)));
        Assert.Equal(4L, Call("Pick", false, Native(3), Native(4)));
        Assert.Equal(-1L, Call("Pick", true, Native(0), Native(4)));
        var all = Array.CreateInstance(native, 3);
        for (int i = 0; i < 3; i++)
        {
            all.SetValue(Native(i + 1), i);
        }
        Assert.Equal(6L, Call("Total", all));
        Assert.Equal(2L, Call("NoHandle", 1L));
    }

    [Fact]
    public void EveryHandleReadIsKeptAliveAtEveryReturn()
    {
        var calls = LoadWoven(out var report).GetType("Shaped.Calls", throwOnError: true)!;

        Assert.Equal(2, KeepAlives(calls.GetMethod("Sum")!));
        // Two reads, two returns: each return keeps both read objects alive.
        Assert.Equal(4, KeepAlives(calls.GetMethod("Pick")!));
        Assert.Equal(1, KeepAlives(calls.GetMethod("Total")!));
        Assert.Equal(0, KeepAlives(calls.GetMethod("NoHandle")!));
        // Sum 2, Pick 2, Total 1; the Handle getter itself is left alone.
        Assert.Equal(new WeaveReport(Methods: 3, Sites: 5), report);
    }

    [Fact]
    public void TheWovenFileIsMarkedAndNotWovenTwice()
    {
        var assembly = LoadWoven(out var report);
        string woven = assembly.Location;

        var marker = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == HandleKeepAlive.MarkerKey);
        Assert.Equal(report.Sites.ToString(System.Globalization.CultureInfo.InvariantCulture), marker.Value);
        var error = Assert.Throws<InvalidOperationException>(() => HandleKeepAlive.Weave(woven, woven + ".again.dll"));
        Assert.Contains(HandleKeepAlive.MarkerKey, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(woven + ".again.dll"));
    }

    private static Assembly LoadWoven(out WeaveReport report)
    {
        string folder = Directory.CreateTempSubdirectory("compatlab-weaver-").FullName;
        // Optimised, as TorchSharp is: an early return stays a return of its own.
        string plain = AssemblyCompiler.Compile(Path.Combine(folder, "Shaped.dll"), "Shaped", Source, OptimizationLevel.Release);
        string woven = Path.Combine(folder, "woven", "Shaped.dll");
        report = HandleKeepAlive.Weave(plain, woven);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(woven)!, "*.tmp"));
        return new AssemblyLoadContext("woven-" + Path.GetFileName(folder), isCollectible: true).LoadFromAssemblyPath(woven);
    }

    private static int KeepAlives(MethodInfo method) => IlCalls.To(method, typeof(GC), nameof(GC.KeepAlive));
}
