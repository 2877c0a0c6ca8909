using System.Runtime.InteropServices;
using System.Text;

namespace Breachline.Evidence;

/// <summary>
/// The few POSIX calls .NET does not expose: fsync of a directory (so a rename survives a power cut) and
/// hard links (so a snapshot of the export shares the vault's read-only objects instead of copying them).
/// </summary>
internal static class DurableFile
{
    private const int ORdOnly = 0;

    /// <summary>fsync(2) the directory so the names created or renamed in it are durable. No-op on Windows.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(CString(directory), ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>True where <see cref="SyncFileSystem"/> flushes (Linux syncfs(2)).</summary>
    public static bool CanSyncFileSystem => OperatingSystem.IsLinux();

    /// <summary>syncfs(2): writes out and waits for all dirty data and metadata of the file system holding <paramref name="path"/>.</summary>
    public static void SyncFileSystem(string path)
    {
        if (!CanSyncFileSystem)
        {
            return;
        }

        var fd = Open(CString(path), ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} to sync its file system (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (SyncFs(fd) != 0)
            {
                throw new IOException($"syncfs of {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates <paramref name="link"/> as a hard link to <paramref name="target"/>; copies when the OS or file system cannot link.</summary>
    public static void LinkOrCopy(string target, string link)
    {
        if (!OperatingSystem.IsWindows() && Link(CString(target), CString(link)) == 0)
        {
            return;
        }

        File.Copy(target, link);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(link, UnixFileMode.UserRead);
        }
    }

    /// <summary>Writes a small file durably: temp, fsync, rename, fsync directory.</summary>
    public static void WriteAllText(string path, string text)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            var bytes = new UTF8Encoding(false).GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static byte[] CString(string path) => Encoding.UTF8.GetBytes(path + "\0");

    // DllImport with byte[] paths (blittable, pinned) keeps the engine free of unsafe code.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFs(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(byte[] target, byte[] link);
}
