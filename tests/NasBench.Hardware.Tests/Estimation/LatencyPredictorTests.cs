using NasBench.Hardware.Estimation;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Hardware;

namespace NasBench.Hardware.Tests.Estimation;

public class LatencyPredictorTests
{
    /// <summary>A known latency function of the encoding: per kept edge a cost by (cell type, op, reads a cell input),
    /// times (1 + 0.05 × convolutions in the normal cell) — an interaction a plain sum cannot express.</summary>
    private static double Synthetic(Genotype genotype, double[,,] cost)
    {
        double sum = 1.0;
        int convs = 0;
        for (int type = 0; type < 2; type++)
        {
            foreach (var edge in type == 0 ? genotype.Normal : genotype.Reduce)
            {
                int op = DartsOperations.IndexOf(edge.Operation);
                sum += cost[type, op, edge.Input < 2 ? 0 : 1];
                convs += type == 0 && op >= 4 ? 1 : 0;
            }
        }
        return sum * (1 + (0.05 * convs));
    }

    [Fact]
    public void Learns_a_known_latency_function_of_the_encoding_to_a_small_error()
    {
        var rng = new Random(5);
        var cost = new double[2, 8, 2];
        for (int t = 0; t < 2; t++)
        {
            for (int o = 0; o < 8; o++)
            {
                cost[t, o, 0] = o >= 4 ? 0.5 + rng.NextDouble() : 0.05 * rng.NextDouble();
                cost[t, o, 1] = o >= 4 ? 0.5 + rng.NextDouble() : 0.05 * rng.NextDouble();
            }
        }
        var genotypes = RandomGenotypeSampler.Sample(400, 17);
        var x = genotypes.Select(GenotypeEncoding.Encode).ToArray();
        var y = genotypes.Select(g => Synthetic(g, cost)).ToArray();
        var predictor = LatencyPredictor.Train(x[..300], y[..300], options: new LatencyPredictorOptions(Hidden: 16,
            Epochs: 300));
        var q = PredictionQuality.Compute(predictor.Predict(x[300..]), y[300..]);
        Assert.True(q.Within10 >= 0.95 && q.Rmspe < 0.05 && q.KendallTau > 0.9,
            $"held-out ±10 % {q.Within10:P1}, RMSPE {q.Rmspe:P2}, τ {q.KendallTau:F3}");
        // Untrained (a zero head predicts the mean), the same test fails: the check can tell learning from none.
        var untrained = LatencyPredictor.Train(x[..300], y[..300], options: new LatencyPredictorOptions(Epochs: 0));
        Assert.True(PredictionQuality.Compute(untrained.Predict(x[300..]), y[300..]).Rmspe > 0.1);
    }

    [Fact]
    public void With_a_baseline_it_learns_the_correction_to_it()
    {
        var x = RandomGenotypeSampler.Sample(120, 3).Select(GenotypeEncoding.Encode).ToArray();
        var baseline = x.Select((v, i) => 5.0 + (i % 7)).ToArray();
        var y = baseline.Select(b => b * 1.2).ToArray();
        var predictor = LatencyPredictor.Train(x[..80], y[..80], baseline[..80],
            new LatencyPredictorOptions(Epochs: 100));
        var predicted = predictor.Predict(x[80..], baseline[80..]);
        Assert.All(predicted.Zip(y[80..]), p => Assert.InRange(p.First / p.Second, 0.99, 1.01));
        Assert.Throws<ArgumentException>(() => predictor.Predict(x[80..]));
    }

    [Fact]
    public void Ragged_features_and_bad_latencies_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LatencyPredictor.Train([[1f, 2f], [1f]], [1, 2]));
        Assert.Throws<ArgumentException>(() => LatencyPredictor.Train([[1f], [2f]], [1, -2]));
    }

    [Fact]
    public void Early_stopping_keeps_the_epoch_with_the_lowest_validation_loss()
    {
        // Pure noise around a constant: every step after the first few fits noise, so validation loss rises and
        // training stops long before the epoch budget; the kept epoch is the best one seen, not the last.
        var rng = new Random(11);
        var x = RandomGenotypeSampler.Sample(60, 9).Select(GenotypeEncoding.Encode).ToArray();
        var y = x.Select(_ => 1.0 + (0.3 * rng.NextDouble())).ToArray();
        var predictor = LatencyPredictor.Train(x, y, options: new LatencyPredictorOptions(Epochs: 2000, Patience: 30));
        var t = predictor.Training;
        Assert.Equal(12, t.ValidationModels);
        Assert.Equal(48, t.FitModels);
        Assert.True(t.Epochs < 2000 && t.Epochs == t.BestEpoch + 30, $"epochs {t.Epochs}, best {t.BestEpoch}");
        Assert.True(double.IsFinite(t.ValidationLoss));
        // Without validation the same budget runs to the end and memorises the noise (training loss far lower).
        var all = LatencyPredictor.Train(x, y, options: new LatencyPredictorOptions(Epochs: 300, ValidationFraction: 0));
        Assert.Equal(300, all.Training.Epochs);
        Assert.Equal(0, all.Training.ValidationModels);
        Assert.True(all.FinalTrainingLoss < t.TrainingLoss, $"{all.FinalTrainingLoss} vs {t.TrainingLoss}");
    }

    [Fact]
    public void A_saved_predictor_loads_and_predicts_exactly_the_same()
    {
        var x = RandomGenotypeSampler.Sample(80, 4).Select(GenotypeEncoding.Encode).ToArray();
        var baseline = x.Select((v, i) => 2.0 + (i % 5)).ToArray();
        var y = x.Select((v, i) => baseline[i] * (1.1 + (0.02 * v[3]))).ToArray();
        var predictor = LatencyPredictor.Train(x, y, baseline, new LatencyPredictorOptions(Epochs: 50))
            .WithMetadata(new Dictionary<string, string> { ["features"] = "counts", ["target"] = "cpu-1t" });
        string path = Path.Combine(Path.GetTempPath(), $"nasbench-predictor-{Guid.NewGuid():N}.json");
        try
        {
            LatencyPredictorJson.Write(predictor, path);
            var loaded = LatencyPredictorJson.Read(path);
            Assert.Equal(predictor.Predict(x, baseline), loaded.Predict(x, baseline));
            Assert.True(loaded.UsesBaseline);
            Assert.Equal("cpu-1t", loaded.Metadata["target"]);
            Assert.Equal(predictor.Training, loaded.Training);
            Assert.Equal(LatencyPredictorJson.ToJson(predictor), LatencyPredictorJson.ToJson(loaded));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"schema":"nasbench.latency-table","schemaVersion":1}""", "schema: expected 'nasbench.latency-predictor', found 'nasbench.latency-table'")]
    [InlineData("""{"schema":"nasbench.latency-predictor","schemaVersion":2}""", "schemaVersion: expected 1, found 2")]
    [InlineData("""{"schema":"nasbench.latency-predictor","schemaVersion":1,"usesBaseline":true,"targetMean":0,"targetScale":1,"featureMean":[0],"featureScale":[1,2]}""", "featureScale: expected 1 values (as featureMean), found 2")]
    public void Bad_predictor_files_are_refused_naming_the_file_and_the_field(string json, string expected)
    {
        var e = Assert.Throws<LatencyPredictorFormatException>(() => LatencyPredictorJson.Parse(json, "p.json"));
        Assert.StartsWith("p.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_of_the_wrong_shape_is_named()
    {
        var x = RandomGenotypeSampler.Sample(10, 4).Select(GenotypeEncoding.Encode).ToArray();
        var predictor = LatencyPredictor.Train(x, [.. x.Select((_, i) => 1.0 + i)],
            options: new LatencyPredictorOptions(Hidden: 4, Epochs: 2));
        string json = LatencyPredictorJson.ToJson(predictor);
        // Drop the second layer's last bias value: 4 → 3.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["layers"]![1]!["bias"]!.AsArray().RemoveAt(3);
        var e = Assert.Throws<LatencyPredictorFormatException>(() =>
            LatencyPredictorJson.Parse(node.ToJsonString(), "p.json"));
        Assert.Contains("layers[1]", e.Message, StringComparison.Ordinal);
        Assert.Throws<LatencyPredictorFormatException>(() => LatencyPredictorJson.Read("/nonexistent/p.json"));
    }
}
