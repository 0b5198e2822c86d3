// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the PatchTorchSharpNative task that runs after every
// build (MSBuild compiles it against netstandard, hence plain arrays and no spans), and into the test project
// (with COMPATLAB_TESTS defined) so the ELF logic is unit tested.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CompatLab.Build
{
    public enum ElfPatchOutcome
    {
        NotElf64LittleEndian,
        RequirementAbsent,
        AlreadyWeak,
        Patched,
    }

    /// <summary>
    /// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so the dynamic
    /// loader accepts a system library that lacks that version. TorchSharp's native shim asks for GLIBCXX_3.4.32
    /// for a symbol it never calls; Debian 12's libstdc++ stops at 3.4.30.
    /// </summary>
    public static class ElfVersionRequirementPatcher
    {
        public const string TorchSharpVersionRequirement = "GLIBCXX_3.4.32";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        public static ElfPatchOutcome MakeRequirementWeak(byte[] image, string versionName)
        {
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F'
                || image[4] != 2 /* ELFCLASS64 */ || image[5] != 1 /* little endian */)
            {
                return ElfPatchOutcome.NotElf64LittleEndian;
            }

            long sectionTable = (long)ReadU64(image, 0x28);
            int entrySize = ReadU16(image, 0x3A);
            int sectionCount = ReadU16(image, 0x3C);
            if (entrySize < 64 || sectionTable + ((long)entrySize * sectionCount) > image.Length)
            {
                return ElfPatchOutcome.NotElf64LittleEndian;
            }

            byte[] wanted = Encoding.ASCII.GetBytes(versionName);
            var outcome = ElfPatchOutcome.RequirementAbsent;
            for (int i = 0; i < sectionCount; i++)
            {
                int header = checked((int)(sectionTable + ((long)i * entrySize)));
                if (ReadU32(image, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                int entry = checked((int)ReadU64(image, header + 0x18));
                int linkedStrings = (int)ReadU32(image, header + 0x28);
                int entryCount = (int)ReadU32(image, header + 0x2C);
                int stringsHeader = checked((int)(sectionTable + ((long)linkedStrings * entrySize)));
                int strings = checked((int)ReadU64(image, stringsHeader + 0x18));

                for (int n = 0; n < entryCount; n++)
                {
                    int auxCount = ReadU16(image, entry + 2);
                    int aux = entry + (int)ReadU32(image, entry + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        if (NameEquals(image, strings + (int)ReadU32(image, aux + 8), wanted))
                        {
                            ushort flags = ReadU16(image, aux + 4);
                            if ((flags & VerFlagWeak) != 0)
                            {
                                if (outcome == ElfPatchOutcome.RequirementAbsent)
                                {
                                    outcome = ElfPatchOutcome.AlreadyWeak;
                                }
                            }
                            else
                            {
                                WriteU16(image, aux + 4, (ushort)(flags | VerFlagWeak));
                                outcome = ElfPatchOutcome.Patched;
                            }
                        }

                        aux += (int)ReadU32(image, aux + 12);
                    }

                    entry += (int)ReadU32(image, entry + 12);
                }
            }

            return outcome;
        }

        /// <summary>True when the system's libstdc++ already provides the version, so nothing must change.</summary>
        public static bool SystemProvides(string versionName)
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6",
                "/lib64/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
            };
            foreach (string path in candidates)
            {
                if (File.Exists(path))
                {
                    return IndexOf(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(versionName + "\0")) >= 0;
                }
            }

            return true;
        }

        /// <summary>Patches the file in place when needed (write to a temporary file, then rename); returns what was done.</summary>
        public static ElfPatchOutcome PatchFile(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            var outcome = MakeRequirementWeak(image, versionName);
            if (outcome == ElfPatchOutcome.Patched)
            {
                string temporary = path + ".patching";
                File.WriteAllBytes(temporary, image);
                File.Copy(temporary, path, true);
                File.Delete(temporary);
            }

            return outcome;
        }

        private static ushort ReadU16(byte[] b, int at) => (ushort)(b[at] | (b[at + 1] << 8));

        private static uint ReadU32(byte[] b, int at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

        private static ulong ReadU64(byte[] b, int at) => ReadU32(b, at) | ((ulong)ReadU32(b, at + 4) << 32);

        private static void WriteU16(byte[] b, int at, ushort value)
        {
            b[at] = (byte)(value & 0xff);
            b[at + 1] = (byte)(value >> 8);
        }

        private static bool NameEquals(byte[] image, int offset, byte[] wanted)
        {
            if (offset < 0 || offset + wanted.Length >= image.Length || image[offset + wanted.Length] != 0)
            {
                return false;
            }

            for (int i = 0; i < wanted.Length; i++)
            {
                if (image[offset + i] != wanted[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k])
                {
                    k++;
                }

                if (k == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

#if !COMPATLAB_TESTS
    public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string LibraryPath { get; set; } = string.Empty;

        public override bool Execute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists(LibraryPath))
            {
                return true;
            }

            if (ElfVersionRequirementPatcher.SystemProvides(ElfVersionRequirementPatcher.TorchSharpVersionRequirement))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libstdc++ provides GLIBCXX_3.4.32; {0} left as shipped.", LibraryPath);
                return true;
            }

            var outcome = ElfVersionRequirementPatcher.PatchFile(LibraryPath, ElfVersionRequirementPatcher.TorchSharpVersionRequirement);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "TorchSharp native fix: {0} -> {1}", LibraryPath, outcome);
            return true;
        }
    }
#endif
}
