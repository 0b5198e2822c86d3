using System.Buffers.Binary;
using System.Text;

namespace CompatLab.Engine.Runtime;

/// <summary>One dynamic symbol a shared library needs from others: its name and whether the need is weak.</summary>
public sealed record ImportedSymbol(string Name, bool Weak);

/// <summary>
/// Reads the symbols a 64-bit little-endian ELF shared library imports (its undefined .dynsym entries), as
/// <c>nm -D --undefined-only</c> lists them; the GPU machine has no binutils, so this is done here.
/// </summary>
public static class ElfDynamicSymbols
{
    private const uint DynamicSymbolSection = 11;
    private const int SymbolSize = 24;
    private const int WeakBinding = 2;

    public static IReadOnlyList<ImportedSymbol> Imported(string path) => Imported(File.ReadAllBytes(path), path);

    public static IReadOnlyList<ImportedSymbol> Imported(ReadOnlySpan<byte> elf, string name)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{name}: not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{name}: only 64-bit little-endian ELF is read (class {elf[4]}, data {elf[5]})");
        }

        ulong sectionTable = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (int i = 0; i < sectionCount; i++)
        {
            var header = Slice(elf, sectionTable + (ulong)(i * sectionSize), 64, name);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != DynamicSymbolSection)
            {
                continue;
            }

            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var strings = Section(elf, sectionTable + (ulong)(link * sectionSize), name);
            var symbols = Section(elf, sectionTable + (ulong)(i * sectionSize), name);
            return Undefined(symbols, strings);
        }

        throw new InvalidDataException($"{name}: no .dynsym section (not a shared library?)");
    }

    private static List<ImportedSymbol> Undefined(ReadOnlySpan<byte> symbols, ReadOnlySpan<byte> strings)
    {
        var imported = new List<ImportedSymbol>();

        // Entry 0 is the reserved null symbol.
        for (int offset = SymbolSize; offset + SymbolSize <= symbols.Length; offset += SymbolSize)
        {
            var symbol = symbols[offset..];
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(symbol);
            ushort sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(symbol[6..]);
            if (sectionIndex != 0 || nameOffset == 0 || nameOffset >= strings.Length)
            {
                continue;
            }

            var rest = strings[(int)nameOffset..];
            int end = rest.IndexOf((byte)0);
            string text = Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
            imported.Add(new ImportedSymbol(text, symbol[4] >> 4 == WeakBinding));
        }

        return imported;
    }

    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> elf, ulong headerOffset, string name)
    {
        var header = Slice(elf, headerOffset, 64, name);
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        return Slice(elf, offset, size, name);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> elf, ulong offset, ulong length, string name) =>
        offset + length <= (ulong)elf.Length
            ? elf.Slice((int)offset, (int)length)
            : throw new InvalidDataException($"{name}: truncated ELF (a section reaches past the end of the file)");
}
