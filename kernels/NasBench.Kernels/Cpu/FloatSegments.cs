namespace NasBench.Kernels.Cpu;

/// <summary>Lists of arrays as lists of whole-array segments, for the kernels whose candidate buffers are segments:
/// tensor storage starts its data at a cache-line boundary inside a pooled array, so it hands kernels
/// (array, offset, count) rather than a bare array.</summary>
internal static class FloatSegments
{
    /// <summary>Each array as one segment over all of it; a null entry becomes <c>default</c> (no array), a null list
    /// stays null so the kernels' argument checks name it.</summary>
    public static ArraySegment<float>[]? Of(IReadOnlyList<float[]?>? arrays)
    {
        if (arrays is null)
        {
            return null;
        }
        var segments = new ArraySegment<float>[arrays.Count];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = arrays[i] is { } array ? new ArraySegment<float>(array) : default;
        }
        return segments;
    }
}
