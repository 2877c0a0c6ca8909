using System.Runtime.InteropServices;

namespace Breachline.Storage;

/// <summary>
/// Makes every file and folder this process creates from now on owner-only (0600/0700) by setting the process
/// umask to 077. The workspace holds evidence, personal data and keys; setting modes file by file missed the
/// SQLite database, its WAL files, public-key copies and snapshot folders, which SQLite and the BCL create with
/// the inherited umask (usually 022, world-readable).
/// </summary>
internal static partial class OwnerOnlyFiles
{
    private const uint GroupAndOther = 0x3F; // 077

    /// <summary>Sets the umask once; a no-op on Windows, where files inherit the folder's ACL.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(GroupAndOther);
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint Umask(uint mask);
}
