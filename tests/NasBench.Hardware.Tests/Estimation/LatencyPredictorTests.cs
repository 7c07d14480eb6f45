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
}
