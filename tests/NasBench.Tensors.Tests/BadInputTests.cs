using System.Buffers.Binary;
using System.Text;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Serialization;

namespace NasBench.Tensors.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nasbench-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mismatched_shapes_name_the_op_and_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(3, 2));
        Assert.Contains("Add", e.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", e.Message, StringComparison.Ordinal);
        var m = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 2)));
        Assert.Contains("expected 3, actual 4", m.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, -1));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void Wrong_channel_count_names_expected_and_actual()
    {
        var conv = new Conv2d(3, 4, 3, new Generator(1));
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(1, 4, 8, 8)));
        Assert.Contains("Conv2d", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected 3, actual 4", e.Message, StringComparison.Ordinal);
        var bn = new BatchNorm2d(5);
        var b = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 4, 3, 3)));
        Assert.Contains("[5]", b.Message, StringComparison.Ordinal);
        var linear = new Linear(6, 2, new Generator(1));
        Assert.Contains("expected 6, actual 5",
            Assert.Throws<ArgumentException>(() => linear.Forward(Tensor.Zeros(3, 5))).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.CrossEntropy(Tensor.Zeros(2, 3), [0, 3]));
    }

    [Fact]
    public void Truncated_file_names_file_tensor_and_sizes()
    {
        string path = SaveModel(out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<StateFileException>(() => Model().Load(path));
        Assert.Equal(path, e.FileName);
        Assert.NotNull(e.TensorName);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, bytes[..5]);
        var short5 = Assert.Throws<StateFileException>(() => StateFile.Read(path));
        Assert.Contains("5 bytes", short5.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, bytes[..40]);
        Assert.Contains("inside the header",
            Assert.Throws<StateFileException>(() => StateFile.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_header_is_reported()
    {
        string path = SaveModel(out _);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)'#';
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<StateFileException>(() => StateFile.Read(path));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FileName);

        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}");
        WriteRaw(path, header, new byte[16]);
        var o = Assert.Throws<StateFileException>(() => StateFile.Read(path));
        Assert.Equal("w", o.TensorName);
        Assert.Contains("16 bytes", o.Message, StringComparison.Ordinal);
        Assert.Contains("12 bytes", o.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_unknown_and_mis_shaped_tensors_are_named()
    {
        string path = Path.Combine(_dir, "partial.state");
        var model = Model();
        var state = model.StateDict();
        var partial = state.Where(kv => kv.Key != "1.running_var").ToDictionary();
        StateFile.Save(path, partial);
        var missing = Assert.Throws<StateFileException>(() => Model().Load(path));
        Assert.Equal("1.running_var", missing.TensorName);
        Assert.Contains("missing", missing.Message, StringComparison.Ordinal);

        var extra = new Dictionary<string, Tensor>(state) { ["extra.weight"] = Tensor.Zeros(2) };
        StateFile.Save(path, extra);
        var unknown = Assert.Throws<StateFileException>(() => Model().Load(path));
        Assert.Equal("extra.weight", unknown.TensorName);
        Model().Load(path, strict: false);

        var wrong = new Dictionary<string, Tensor>(state) { ["0.weight"] = Tensor.Zeros(4, 2, 3, 3) };
        StateFile.Save(path, wrong);
        var shape = Assert.Throws<StateFileException>(() => Model().Load(path));
        Assert.Equal("0.weight", shape.TensorName);
        Assert.Equal("shape [4, 3, 3, 3]", shape.Expected);
        Assert.Equal("shape [4, 2, 3, 3]", shape.Actual);
    }

    [Fact]
    public void Save_and_load_round_trip_is_exact()
    {
        string path = SaveModel(out var saved);
        var fresh = Model(seed: 77);
        fresh.Load(path);
        foreach (var (name, t) in fresh.StateDict())
        {
            Assert.Equal(saved.StateDict()[name].ToArray(), t.ToArray());
        }
        var bytes = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Contains("\"dtype\":\"F32\"", Encoding.UTF8.GetString(bytes, 8, (int)headerLength),
            StringComparison.Ordinal);
    }

    private static Sequential Model(ulong seed = 1)
    {
        var g = new Generator(seed);
        return new Sequential(new Conv2d(3, 4, 3, g), new BatchNorm2d(4), new ReLU());
    }

    private string SaveModel(out Sequential model)
    {
        model = Model();
        _ = model.Forward(Tensor.Randn(new Generator(3), 2, 3, 5, 5));
        string path = Path.Combine(_dir, "model.state");
        model.Save(path);
        return path;
    }

    private static void WriteRaw(string path, byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
    }
}
