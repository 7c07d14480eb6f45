using NasBench.Search.Darts;

namespace NasBench.Search.Tests.Darts;

public class GenotypeTests
{
    // Copied from the DARTS reference code's genotypes.py (the line it prints for DARTS_V2).
    private const string DartsV2Text =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
        + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], "
        + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), "
        + "('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    [Fact]
    public void Published_DartsV2_parses_from_the_reference_text()
    {
        Assert.Equal(PublishedGenotypes.DartsV2, GenotypeText.Parse(DartsV2Text));
        Assert.Equal(DartsV2Text, PublishedGenotypes.DartsV2.ToString());
    }

    [Fact]
    public void Text_form_accepts_range_concat_and_double_quotes()
    {
        string text = DartsV2Text.Replace("'", "\"", StringComparison.Ordinal)
            .Replace("normal_concat=[2, 3, 4, 5]", "normal_concat=range(2, 6)", StringComparison.Ordinal);
        Assert.Equal(PublishedGenotypes.DartsV2, GenotypeText.Parse(text));
    }

    [Theory]
    [InlineData("DARTS_V1")]
    [InlineData("DARTS_V2")]
    public void Json_and_text_round_trip(string name)
    {
        var g = PublishedGenotypes.ByName[name];
        string json = GenotypeJson.Serialize(g);
        Assert.Equal(g, GenotypeJson.Deserialize(json));
        Assert.Equal(json, GenotypeJson.Serialize(GenotypeJson.Deserialize(GenotypeJson.Serialize(g, indented: true))));
        Assert.Equal(g, GenotypeText.Parse(g.ToString()));
    }

    [Fact]
    public void V1_and_V2_differ()
    {
        Assert.NotEqual(PublishedGenotypes.DartsV1, PublishedGenotypes.DartsV2);
        Assert.Same(PublishedGenotypes.DartsV2, PublishedGenotypes.ByName["darts"]);
    }

    [Fact]
    public void Unknown_operation_in_json_is_named()
    {
        string json = GenotypeJson.Serialize(PublishedGenotypes.DartsV2)
            .Replace("dil_conv_3x3", "conv_9x9", StringComparison.Ordinal);
        var e = Assert.Throws<GenotypeFormatException>(() => GenotypeJson.Deserialize(json, "my.json"));
        Assert.Contains("my.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("conv_9x9", e.Message, StringComparison.Ordinal);
        Assert.Contains("normal[7]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_reading_a_later_node_is_rejected_with_its_position()
    {
        // Node 2 (edges 0 and 1) may read only nodes 0 and 1.
        string json = GenotypeJson.Serialize(PublishedGenotypes.DartsV2)
            .Replace("{\"op\":\"sep_conv_3x3\",\"input\":1}", "{\"op\":\"sep_conv_3x3\",\"input\":2}", StringComparison.Ordinal);
        var e = Assert.Throws<GenotypeFormatException>(() => GenotypeJson.Deserialize(json, "bad.json"));
        Assert.Contains("normal[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "missing field 'normal'")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"normal\": 3}", "must be Array")]
    [InlineData("{\"normal\": [", "not valid JSON")]
    public void Malformed_json_says_what_was_expected(string json, string expected)
    {
        var e = Assert.Throws<GenotypeFormatException>(() => GenotypeJson.Deserialize(json, "g.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("g.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_reads_names_and_files_and_rejects_the_rest()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nasbench-genotype-{Environment.ProcessId}.txt");
        File.WriteAllText(path, PublishedGenotypes.DartsV1.ToString());
        try
        {
            Assert.Equal(PublishedGenotypes.DartsV1, PublishedGenotypes.Resolve(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(PublishedGenotypes.DartsV1, PublishedGenotypes.Resolve("darts_v1"));
        Assert.Throws<GenotypeFormatException>(() => PublishedGenotypes.Resolve("no-such-genotype"));
    }
}
