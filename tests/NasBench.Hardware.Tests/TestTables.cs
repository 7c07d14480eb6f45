using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Tests;

/// <summary>Small tables for tests.</summary>
internal static class TestTables
{
    public static TargetFingerprint Fingerprint(string target = "phone") =>
        new(target, "Test SoC", 4, 128, "tflite 2.1", "Android 13");

    public static OperationConfig Op(string name, int c, int h, int stride = 1, int batch = 1) =>
        new(name, c, c, h, h, stride, 3, 1, batch);

    public static LatencyTable Table(string target = "phone", params (OperationConfig Op, double Ms)[] entries) =>
        new(Fingerprint(target), "darts", entries.Select(e => new LatencyEntry(e.Op, e.Ms, e.Ms / 10, 15)));

    public static string TempFile(string extension) =>
        Path.Combine(Path.GetTempPath(), $"nasbench-hw-{Guid.NewGuid():N}{extension}");
}
