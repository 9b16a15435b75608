using System.Runtime.InteropServices;

namespace TorchLoss.Runtime;

/// <summary>What a path names, found without opening it.</summary>
public enum FileKind { Missing, Regular, Directory, Other }

/// <summary>
/// Tells regular files from directories and from FIFOs, sockets and devices before a file is opened: opening a FIFO
/// blocks until a writer appears, so a reader that only checked File.Exists would hang.
/// </summary>
public static class FileKinds
{
    const int AtCurrentDirectory = -100;
    const uint StatxType = 1;
    const int ModeOffset = 28; // stx_mode in struct statx, the same on every Linux architecture
    const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000;

    /// <summary>The kind of file at <paramref name="path"/> (symbolic links followed). Where the type cannot be read
    /// without opening the file (not Linux), any existing non-directory counts as regular.</summary>
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!File.Exists(path)) return FileKind.Missing;
        if (!OperatingSystem.IsLinux()) return FileKind.Regular;
        var buffer = new byte[256];
        try
        {
            if (statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0) return FileKind.Regular;
        }
        catch (EntryPointNotFoundException)
        {
            return FileKind.Regular; // glibc before 2.28
        }
        var type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return type switch { RegularType => FileKind.Regular, DirectoryType => FileKind.Directory, _ => FileKind.Other };
    }

    /// <summary>Throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> unless
    /// <paramref name="path"/> is a regular file; <paramref name="what"/> names it in the message (e.g. "--init-from").</summary>
    public static void RequireRegularFile(string path, string what)
    {
        switch (Of(path))
        {
            case FileKind.Missing: throw new FileNotFoundException($"{what}: {path} does not exist", path);
            case FileKind.Directory: throw new InvalidDataException($"{what}: {path} is a directory, not a file");
            case FileKind.Other: throw new InvalidDataException($"{what}: {path} is not a regular file (a FIFO, socket or device)");
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
