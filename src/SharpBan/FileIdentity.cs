using System.Runtime.InteropServices;

namespace SharpBan;

/// <summary>Device and inode of a path (<c>stat(2)</c>): tells a renamed-and-recreated log from the file we read.</summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    public static FileIdentity? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        unsafe
        {
            fixed (byte* p = buffer)
            {
                if (Stat(path, p) != 0)
                {
                    return null;
                }
            }
        }

        // Linux 64-bit (x86_64 and aarch64): st_dev at offset 0, st_ino at offset 8, both 8 bytes
        return new FileIdentity(BitConverter.ToUInt64(buffer[..8]), BitConverter.ToUInt64(buffer[8..16]));
    }

    /// <summary>
    /// Identity, size and modification time (nanoseconds since the epoch) of a path; null when it does not exist. The
    /// database compares them to tell a file deleted, replaced or rewritten under it from its own.
    /// </summary>
    public static (FileIdentity Identity, long Size, long Modified)? Status(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        unsafe
        {
            fixed (byte* p = buffer)
            {
                if (Stat(path, p) != 0)
                {
                    return null;
                }
            }
        }

        // Linux 64-bit (x86_64 and aarch64 alike): st_size at 48, st_mtim (seconds, nanoseconds) at 88
        var identity = new FileIdentity(BitConverter.ToUInt64(buffer[..8]), BitConverter.ToUInt64(buffer[8..16]));
        var modified = (BitConverter.ToInt64(buffer[88..96]) * 1_000_000_000) + BitConverter.ToInt64(buffer[96..104]);
        return (identity, BitConverter.ToInt64(buffer[48..56]), modified);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a regular file (after symlinks). A FIFO would block the reader at open, and a
    /// device such as /dev/zero never ends: neither is read as a log.
    /// </summary>
    public static bool IsRegularFile(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        unsafe
        {
            fixed (byte* p = buffer)
            {
                if (Stat(path, p) != 0)
                {
                    return false;
                }
            }
        }

        // st_mode: offset 24 on x86_64 (after st_nlink), 16 on aarch64
        var offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        return (BitConverter.ToUInt32(buffer[offset..(offset + 4)]) & 0xF000) == 0x8000;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
