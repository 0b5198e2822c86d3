using System.Reflection;

namespace CompatLab.Tests.Support;

/// <summary>Counts the <c>call</c> instructions of a method body that target a given method.</summary>
internal static class IlCalls
{
    /// <summary>The body is read byte by byte, so a stray 0x28 inside an operand is tried as well; only tokens of
    /// methods (0x06) or member references (0x0A) that resolve to the target count.</summary>
    public static int To(MethodInfo method, Type declaringType, string name)
    {
        byte[] il = method.GetMethodBody()!.GetILAsByteArray()!;
        int calls = 0;
        for (int i = 0; i + 4 < il.Length; i++)
        {
            int token = BitConverter.ToInt32(il, i + 1);
            if (il[i] == 0x28 && (token >> 24) is 0x06 or 0x0A && Resolves(method.Module, token, declaringType, name))
            {
                calls++;
            }
        }
        return calls;
    }

    private static bool Resolves(Module module, int token, Type declaringType, string name)
    {
        try
        {
            var target = module.ResolveMethod(token);
            return target?.DeclaringType == declaringType && target.Name == name;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
