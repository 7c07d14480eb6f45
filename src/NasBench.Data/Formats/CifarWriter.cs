namespace NasBench.Data.Formats;

/// <summary>Writes CIFAR binary record files (used by tests and to export subsets).</summary>
/// <remarks>For CIFAR-100 the caller supplies both coarse and fine labels; for CIFAR-10 <c>coarse</c> is
/// ignored.</remarks>
public static class CifarWriter
{
    /// <summary>Writes the records of <paramref name="dataset"/> (3×32×32) to <paramref name="stream"/>.</summary>
    public static void Write(
        Stream stream, ImageDataset dataset, CifarFormat format, ReadOnlySpan<int> coarse = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Shape != CifarReader.Shape)
        {
            throw new ArgumentException($"CIFAR images are {CifarReader.Shape}; got {dataset.Shape}.", nameof(dataset));
        }

        if (format == CifarFormat.Cifar100 && coarse.Length != dataset.Count)
        {
            throw new ArgumentException("CIFAR-100 records need one coarse label per image.", nameof(coarse));
        }

        for (int i = 0; i < dataset.Count; i++)
        {
            if (format == CifarFormat.Cifar100)
            {
                stream.WriteByte((byte)coarse[i]);
            }

            stream.WriteByte((byte)dataset.GetLabel(i));
            stream.Write(dataset.GetImage(i));
        }
    }
}
