using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Tests.Latency;

public class LatencyTableJsonTests
{
    private static LatencyTable Sample() => TestTables.Table("phone",
        (TestTables.Op("sep_conv_3x3", 16, 28), 1.25),
        (TestTables.Op("max_pool_3x3", 32, 14, stride: 2), 0.0625),
        (TestTables.Op("dil_conv_5x5", 8, 7, batch: 8), 3.5));

    [Fact]
    public void Json_round_trip_keeps_fingerprint_and_every_entry()
    {
        var table = Sample();
        string path = TestTables.TempFile(".json");
        try
        {
            LatencyTableJson.Write(table, path);
            var back = LatencyTableIo.Read(path);
            Assert.Equal(table.Fingerprint, back.Fingerprint);
            Assert.Equal("darts", back.Space);
            Assert.Equal(path, back.Source);
            Assert.Equal(table.Entries, back.Entries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Csv_round_trip_keeps_fingerprint_and_every_entry()
    {
        var table = Sample();
        var back = LatencyTableCsv.Parse(LatencyTableCsv.ToCsv(table).Split('\n'), "t.csv");
        Assert.Equal(table.Fingerprint, back.Fingerprint);
        Assert.Equal(table.Entries, back.Entries);
    }

    [Fact]
    public void Csv_from_another_tool_without_fingerprint_is_imported_under_its_file_name()
    {
        string[] lines = ["op,cin,cout,h,w,stride,kernel,dilation,batch,median_ms", "sep_conv_3x3,16,16,28,28,1,3,1,1,2.5"];
        var table = LatencyTableCsv.Parse(lines, "/x/pixel4.csv");
        Assert.Equal("pixel4", table.Fingerprint.Target);
        Assert.Equal(2.5, table.LatencyMs(TestTables.Op("sep_conv_3x3", 16, 28)));
        var target = new TableTarget(table);
        Assert.False(target.IsAvailable);
        Assert.Throws<NotSupportedException>(() => target.Measure(new NasBench.Tensors.Nn.Identity(), [1]));
    }

    [Fact]
    public void Wrong_schema_version_names_the_file()
    {
        string json = LatencyTableJson.ToJson(Sample()).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 7",
            StringComparison.Ordinal);
        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse(json, "old.json"));
        Assert.Contains("old.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("schemaVersion is 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_entry_names_the_file_and_the_entry()
    {
        string json = LatencyTableJson.ToJson(Sample());
        string broken = json.Replace("\"medianMs\": 0.0625", "\"medianMs\": \"fast\"", StringComparison.Ordinal);
        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse(broken, "t.json"));
        Assert.Contains("t.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("entries[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_pool_3x3/c32-32/14x14/s2", e.Message, StringComparison.Ordinal);

        string missing = json.Replace("\"cin\": 8,", "", StringComparison.Ordinal);
        e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse(missing, "t.json"));
        Assert.Contains("entries[2]: missing 'cin'", e.Message, StringComparison.Ordinal);

        string negative = json.Replace("\"medianMs\": 3.5", "\"medianMs\": -3.5", StringComparison.Ordinal);
        e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse(negative, "t.json"));
        Assert.Contains("dil_conv_5x5", e.Message, StringComparison.Ordinal);

        string mismatched = json.Replace("\"cout\": 16", "\"cout\": 17", StringComparison.Ordinal);
        e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse(mismatched, "t.json"));
        Assert.Contains("does not match its fields", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableJson.Parse("{ not json", "t.json"));
        Assert.Contains("t.json: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_operation_names_the_file_and_the_key()
    {
        var table = LatencyTableJson.Parse(LatencyTableJson.ToJson(Sample()), "t.json");
        var absent = TestTables.Op("sep_conv_5x5", 16, 28);
        var e = Assert.Throws<LatencyTableFormatException>(() => table.EnsureCovers([absent]));
        Assert.Contains("t.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(absent.Key, e.Message, StringComparison.Ordinal);
        var k = Assert.Throws<KeyNotFoundException>(() => table.LatencyMs(absent));
        Assert.Contains(absent.Key, k.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_of_another_target_is_refused_naming_the_field()
    {
        var table = LatencyTableJson.Parse(LatencyTableJson.ToJson(Sample()), "t.json");
        table.EnsureFingerprint(TestTables.Fingerprint("phone"));
        var e = Assert.Throws<LatencyTableFormatException>(() =>
            table.EnsureFingerprint(TestTables.Fingerprint("phone") with { CoresUsed = 1, Target = "cpu-1t" }));
        Assert.Contains("t.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("target 'phone' (expected 'cpu-1t')", e.Message, StringComparison.Ordinal);
        Assert.Contains("coresUsed '4' (expected '1')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var op = TestTables.Op("sep_conv_3x3", 16, 28);
        Assert.Throws<LatencyTableFormatException>(() => TestTables.Table("phone", (op, 1), (op, 2)));
    }

    [Fact]
    public void Cache_stores_by_fingerprint_and_lists_tables()
    {
        string root = Path.Combine(Path.GetTempPath(), $"nasbench-cache-{Guid.NewGuid():N}");
        try
        {
            var cache = new LatencyTableCache(root);
            var table = Sample();
            string path = cache.Store(table, "darts-test");
            Assert.Contains(table.Fingerprint.Key, path, StringComparison.Ordinal);
            Assert.Equal(table.Entries, cache.TryLoad(table.Fingerprint.Key, "darts-test")!.Entries);
            Assert.Null(cache.TryLoad("000000000000", "darts-test"));
            File.WriteAllText(Path.Combine(root, "broken.json"), "{");
            var listed = cache.List();
            Assert.Equal(2, listed.Count);
            Assert.Single(listed, l => l.Error is not null);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
