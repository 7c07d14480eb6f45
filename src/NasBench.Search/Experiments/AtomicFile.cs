using System.Text;

namespace NasBench.Search.Experiments;

/// <summary>Writes a file so that readers see either the old or the new content, never a half-written one.</summary>
/// <remarks>The content goes to a temporary file in the same directory, which then replaces the target with one
/// rename (atomic on POSIX file systems and NTFS). A crash leaves at worst a stray <c>.tmp</c> file.</remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary path.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string temp = path + ".tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
            throw;
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text, new UTF8Encoding(false)));
}
