using System.Runtime.InteropServices;

namespace SharpBan.Firewall;

/// <summary>P/Invoke declarations for libnftables (the library behind <c>nft</c>) and <c>setns</c>.</summary>
internal static partial class LibNftables
{
    public const string Library = "libnftables.so.1";

    /// <summary><c>CLONE_NEWNET</c> for <see cref="SetNamespace"/>.</summary>
    public const int CloneNewNet = 0x40000000;

    [LibraryImport(Library, EntryPoint = "nft_ctx_new")]
    public static partial IntPtr ContextNew(uint flags);

    [LibraryImport(Library, EntryPoint = "nft_ctx_free")]
    public static partial void ContextFree(IntPtr context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_output")]
    public static partial int BufferOutput(IntPtr context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_error")]
    public static partial int BufferError(IntPtr context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_get_error_buffer")]
    public static partial IntPtr GetErrorBuffer(IntPtr context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_get_output_buffer")]
    public static partial IntPtr GetOutputBuffer(IntPtr context);

    [LibraryImport(Library, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RunFromBuffer(IntPtr context, string buffer);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNamespace(int fd, int namespaceType);
}
