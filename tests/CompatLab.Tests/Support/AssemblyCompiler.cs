using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompatLab.Tests.Support;

/// <summary>Compiles small C# sources into assembly files with Roslyn, for plugin-loading tests.</summary>
internal static class AssemblyCompiler
{
    public static string Compile(string outputPath, string assemblyName, string source, params string[] referencePaths) =>
        Compile(outputPath, assemblyName, source, OptimizationLevel.Debug, referencePaths);

    public static string Compile(string outputPath, string assemblyName, string source, OptimizationLevel optimization, params string[] referencePaths)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Concat(referencePaths)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization));
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var result = compilation.Emit(outputPath);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return outputPath;
    }
}
