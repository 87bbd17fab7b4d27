namespace SharpBan;

/// <summary>
/// The reason of a file-system exception in the C library's words. The executable is built with
/// <c>UseSystemResourceKeys</c> (smaller, no message resources), so .NET's own texts for a missing file or directory,
/// a denied access or a long path would reach the user as resource keys (<c>IO_FileNotFound_FileName, /x</c>); the
/// other I/O errors already carry <c>strerror</c>'s text (<c>No space left on device</c>).
/// </summary>
internal static class OsError
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        PathTooLongException => "File name too long",
        _ => e.Message.TrimEnd('.'),
    };
}
