using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Writes a copy of an ELF64 little-endian shared library in which the version-need entry (.gnu.version_r vernaux)
// named VersionName carries VER_FLG_WEAK, so the dynamic loader accepts a libstdc++ that lacks that version.
// Nothing else in the file changes. Fails the build with one message when the entry is not where it should be.
public class TorchLossWeakenGlibcxxNeed : Task
{
    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    public override bool Execute()
    {
        try
        {
            if (File.Exists(Destination) && File.GetLastWriteTimeUtc(Destination) >= File.GetLastWriteTimeUtc(Source))
                return true;
            var elf = File.ReadAllBytes(Source);
            var patched = Weaken(elf);
            if (patched == 0)
            {
                Log.LogError($"{Source}: no version need named {VersionName}; the TorchSharp loader fix does not apply to this build of it");
                return false;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
            var temp = Destination + ".tmp";
            File.WriteAllBytes(temp, elf);
            if (File.Exists(Destination)) File.Delete(Destination);
            File.Move(temp, Destination);
            Log.LogMessage(MessageImportance.Low, $"wrote {Destination}: {VersionName} need marked weak");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.LogError($"{Source}: {e.Message}");
            return false;
        }
    }

    int Weaken(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        var sectionTable = (long)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3A), count = U16(elf, 0x3C);
        var patched = 0;
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + (long)i * entrySize;
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;
            var offset = (long)U64(elf, header + 24);
            var strings = sectionTable + (long)U32(elf, header + 40) * entrySize;
            var stringsOffset = (long)U64(elf, strings + 24);
            var needs = U32(elf, header + 44);
            var need = offset;
            for (var n = 0; n < needs; n++)
            {
                var aux = need + U32(elf, need + 8);
                for (var a = 0; a < U16(elf, need + 2); a++)
                {
                    if (Name(elf, stringsOffset + U32(elf, aux + 8)) == VersionName)
                    {
                        var flags = (ushort)(U16(elf, aux + 4) | VerFlagWeak);
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        patched++;
                    }
                    var nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                var next = U32(elf, need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return patched;
    }

    static string Name(byte[] elf, long at)
    {
        var end = at;
        while (end < elf.Length && elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)at, (int)(end - at));
    }

    static ushort U16(byte[] b, long at) => Check(b, at, 2) ? BitConverter.ToUInt16(b, (int)at) : (ushort)0;
    static uint U32(byte[] b, long at) => Check(b, at, 4) ? BitConverter.ToUInt32(b, (int)at) : 0;
    static ulong U64(byte[] b, long at) => Check(b, at, 8) ? BitConverter.ToUInt64(b, (int)at) : 0;

    static bool Check(byte[] b, long at, int size) =>
        at >= 0 && at + size <= b.Length ? true : throw new InvalidDataException($"ELF structure points outside the file (offset {at})");
}
