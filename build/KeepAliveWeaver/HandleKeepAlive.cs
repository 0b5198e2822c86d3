using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace CompatLab.Build.KeepAliveWeaver;

/// <summary>How much of an assembly was rewritten.</summary>
public sealed record WeaveReport(int Methods, int Sites);

/// <summary>
/// TorchSharp's objects (tensors, scalars, generators) free their native memory in a finalizer, and its methods pass
/// <c>x.Handle</c> to native code without keeping <c>x</c> alive afterwards. Optimised code lets the garbage
/// collector finalize a temporary (the <c>alpha</c> that <c>a.add(b)</c> makes from the literal 1) while libtorch
/// still reads it. This rewrite keeps every object whose handle a method reads alive until the method returns.
/// </summary>
public static class HandleKeepAlive
{
    /// <summary>The assembly metadata key that marks a woven TorchSharp; its value is the number of handle reads.</summary>
    public const string MarkerKey = "CompatLab.KeepAliveWoven";

    public static WeaveReport Weave(string input, string output)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input)));
        using var module = ModuleDefinition.ReadModule(input, new ReaderParameters { AssemblyResolver = resolver });
        if (IsWoven(module.Assembly))
        {
            throw new InvalidOperationException($"already carries {MarkerKey}; weave the package's own file");
        }
        var keepAlive = KeepAliveReference(module);
        int methods = 0, sites = 0;
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && m.Name != "get_Handle"))
        {
            int woven = WeaveMethod(method, keepAlive);
            methods += woven > 0 ? 1 : 0;
            sites += woven;
        }
        Mark(module, sites);
        WriteAtomically(module, output);
        return new WeaveReport(methods, sites);
    }

    /// <summary>Turns each handle read <c>x.Handle</c> into <c>dup; stloc k; x.Handle</c> and each <c>ret</c>
    /// into <c>GC.KeepAlive(k)</c> for every such local, then <c>ret</c>.</summary>
    private static int WeaveMethod(MethodDefinition method, MethodReference keepAlive)
    {
        var body = method.Body;
        var reads = body.Instructions.Where(i => IsHandleRead(i, method.Module)).ToList();
        if (reads.Count == 0 || body.Instructions.Any(i => i.OpCode == OpCodes.Tail))
        {
            return 0;
        }
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var locals = new List<VariableDefinition>();
        foreach (var read in reads)
        {
            var local = new VariableDefinition(method.Module.TypeSystem.Object);
            body.Variables.Add(local);
            locals.Add(local);
            // The read instruction itself becomes the dup, so branches that targeted it still land before it; a copy
            // of it (made from a nop, since its operand may be a method or a field) follows the store.
            var original = Instruction.Create(OpCodes.Nop);
            original.OpCode = read.OpCode;
            original.Operand = read.Operand;
            read.OpCode = OpCodes.Dup;
            read.Operand = null;
            var store = il.Create(OpCodes.Stloc, local);
            il.InsertAfter(read, store);
            il.InsertAfter(store, original);
        }
        foreach (var ret in body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            var last = ret;
            ret.OpCode = OpCodes.Ldloc;
            ret.Operand = locals[0];
            for (int k = 0; k < locals.Count; k++)
            {
                if (k > 0)
                {
                    last = Append(il, last, il.Create(OpCodes.Ldloc, locals[k]));
                }
                last = Append(il, last, il.Create(OpCodes.Call, keepAlive));
            }
            Append(il, last, il.Create(OpCodes.Ret));
        }
        body.InitLocals = true;
        body.OptimizeMacros();
        return reads.Count;
    }

    private static Instruction Append(ILProcessor il, Instruction after, Instruction next)
    {
        il.InsertAfter(after, next);
        return next;
    }

    /// <summary>A read of a native handle from a class instance of this assembly: <c>Handle</c> or its
    /// <c>handle</c> field (the object is on the stack, not an address).</summary>
    private static bool IsHandleRead(Instruction instruction, ModuleDefinition module)
    {
        if (instruction.Previous?.OpCode == OpCodes.Constrained)
        {
            return false;
        }
        return instruction.Operand switch
        {
            MethodReference m when instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt =>
                m.Name == "get_Handle" && m.HasThis && m.Parameters.Count == 0 && IsIntPtr(m.ReturnType)
                && IsOwnClass(m.DeclaringType, module),
            FieldReference f when instruction.OpCode == OpCodes.Ldfld =>
                f.Name == "handle" && IsIntPtr(f.FieldType) && IsOwnClass(f.DeclaringType, module),
            _ => false,
        };
    }

    private static bool IsIntPtr(TypeReference type) => type.FullName == "System.IntPtr";

    private static bool IsOwnClass(TypeReference type, ModuleDefinition module)
    {
        var definition = type.Resolve();
        return definition is not null && definition.Module == module && definition.IsClass && !definition.IsValueType;
    }

    /// <summary><c>System.GC.KeepAlive(object)</c> from the assembly's own core library (netstandard), so the
    /// rewritten file references nothing new.</summary>
    private static MethodReference KeepAliveReference(ModuleDefinition module)
    {
        var gc = new TypeReference("System", "GC", module, module.TypeSystem.CoreLibrary);
        var method = new MethodReference("KeepAlive", module.TypeSystem.Void, gc) { HasThis = false };
        method.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
        return module.ImportReference(method);
    }

    private static bool IsWoven(AssemblyDefinition assembly) =>
        assembly.CustomAttributes.Any(a => a.AttributeType.Name == "AssemblyMetadataAttribute"
            && a.ConstructorArguments.Count == 2 && Equals(a.ConstructorArguments[0].Value, MarkerKey));

    private static void Mark(ModuleDefinition module, int sites)
    {
        var attribute = new TypeReference("System.Reflection", "AssemblyMetadataAttribute", module, module.TypeSystem.CoreLibrary);
        var constructor = new MethodReference(".ctor", module.TypeSystem.Void, attribute) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        constructor.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        var marker = new CustomAttribute(module.ImportReference(constructor));
        marker.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, MarkerKey));
        marker.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, sites.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        module.Assembly.CustomAttributes.Add(marker);
    }

    private static void WriteAtomically(ModuleDefinition module, string output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        // Several project builds may ask for the file at once; each writes its own temporary file and renames it.
        var temporary = $"{output}.{Environment.ProcessId}.tmp";
        try
        {
            module.Write(temporary);
            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
