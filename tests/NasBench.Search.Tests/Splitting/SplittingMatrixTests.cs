using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Splitting;

/// <summary>The splitting matrix from back-propagation against an independent computation: the Hessian, by central
/// finite differences in double precision, of F(Δ) = loss with the neuron replaced by ½σ(θ+Δ) + ½σ(θ−Δ).</summary>
/// <remarks>F's first-order term cancels exactly and its Hessian at 0 is S (splitting.md §1.2), so this checks the
/// BN fold, σ'', the patch layout and the gradient routing without sharing any code with the path under test: the
/// reference network below is a scalar double re-implementation.</remarks>
public class SplittingMatrixTests
{
    private const int N = 3, Cin = 2, Size = 5, ConvOut = 3, Hidden = 4, Classes = 3;

    private static GrowableNetwork Net() => SplitTestNets.Build(Cin, Size, Classes, 7,
        new UnitSpec(UnitKinds.Conv, ConvOut, 3, 1), new UnitSpec(UnitKinds.GlobalPool),
        new UnitSpec(UnitKinds.Linear, Hidden), new UnitSpec(UnitKinds.Classifier, Classes));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 2)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    public void Backprop_S_equals_explicit_second_derivative(int unit, int neuron)
    {
        var net = Net();
        var batch = SplitTestNets.RandomBatch(N, Cin, Size, Classes, 11);
        var s = ExactSplitting.Matrices(net, [batch])[unit];
        int d = net.Splittable(unit).FanIn;
        var reference = new Reference(net, batch);
        var expected = reference.Hessian(unit, neuron, d);
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 1e-4, $"degenerate test: |S| max is {scale:G3}");
        for (int p = 0; p < d; p++)
        {
            for (int q = 0; q < d; q++)
            {
                double got = s[(neuron * d * d) + (p * d) + q];
                double want = expected[(p * d) + q];
                Assert.True(Math.Abs(got - want) <= (1e-3 * scale) + (1e-3 * Math.Abs(want)),
                    $"unit {unit} neuron {neuron} S[{p},{q}]: back-prop {got:G6}, finite differences {want:G6}");
            }
        }
    }

    [Fact]
    public void Products_from_one_backprop_equal_S_times_v_for_every_neuron()
    {
        var net = Net();
        var batch = SplitTestNets.RandomBatch(N, Cin, Size, Classes, 12);
        var matrices = ExactSplitting.Matrices(net, [batch]);
        var g = new Generator(3);
        var slots = new Dictionary<int, ProbeSlot>();
        foreach (int u in net.SplittableIndices)
        {
            var v = Tensor.Randn(g, net.Splittable(u).Weight.Shape).DetachFromScope();
            slots[u] = ProbeSlot.ForProducts([v]);
        }
        net.Eval();
        using (var scope = TensorScope.Enter())
        {
            Functional.CrossEntropy(net.Forward(batch.ToTensor(), slots), batch.Labels).Backward();
        }
        foreach (var (u, slot) in slots)
        {
            int c = net.Splittable(u).OutWidth, d = net.Splittable(u).FanIn;
            var v = slot.Vectors[0].AsReadOnlySpan();
            var sv = slot.Auxiliaries[0].Grad!.AsReadOnlySpan();
            var s = matrices[u];
            for (int j = 0; j < c; j++)
            {
                for (int p = 0; p < d; p++)
                {
                    double want = 0;
                    for (int q = 0; q < d; q++)
                    {
                        want += s[(j * d * d) + (p * d) + q] * v[(j * d) + q];
                    }
                    Assert.True(Math.Abs(sv[(j * d) + p] - want) <= 1e-5 + (1e-3 * Math.Abs(want)),
                        $"unit {u} neuron {j} (S·v)[{p}]: products {sv[(j * d) + p]:G6}, explicit {want:G6}");
                }
            }
        }
    }

    /// <summary>The test network in plain double arithmetic.</summary>
    private sealed class Reference
    {
        private readonly double[] _convW, _c, _shift, _w1, _b1, _w2, _b2, _x;
        private readonly int[] _labels;

        public Reference(GrowableNetwork net, LabeledBatch batch)
        {
            var conv = (ConvUnit)net.Units[0];
            _convW = D(conv.Weight.AsReadOnlySpan());
            _c = new double[ConvOut];
            _shift = new double[ConvOut];
            for (int j = 0; j < ConvOut; j++)
            {
                double gamma = conv.Norm.Gamma.AsReadOnlySpan()[j], rv = conv.Norm.RunningVar.AsReadOnlySpan()[j];
                _c[j] = gamma / Math.Sqrt(rv + UnitBatchNorm.Eps);
                _shift[j] = conv.Norm.Beta.AsReadOnlySpan()[j] - (_c[j] * conv.Norm.RunningMean.AsReadOnlySpan()[j]);
            }
            var hidden = (HiddenLinearUnit)net.Units[2];
            _w1 = D(hidden.Weight.AsReadOnlySpan());
            _b1 = D(hidden.Bias.AsReadOnlySpan());
            var cls = (ClassifierUnit)net.Units[3];
            _w2 = D(cls.Weight.AsReadOnlySpan());
            _b2 = D(cls.Parameters().Last().AsReadOnlySpan());
            _x = D(batch.Images);
            _labels = batch.Labels;
        }

        /// <summary>∂²F/∂Δ_p∂Δ_q by the four-point central formula, h = 1e-3.</summary>
        public double[] Hessian(int unit, int neuron, int d)
        {
            const double h = 1e-3;
            var result = new double[d * d];
            var delta = new double[d];
            for (int p = 0; p < d; p++)
            {
                for (int q = p; q < d; q++)
                {
                    double sum = 0;
                    foreach (var (sp, sq, sign) in new[] { (1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1) })
                    {
                        Array.Clear(delta);
                        delta[p] += sp * h;
                        delta[q] += sq * h;
                        sum += sign * Loss(unit, neuron, delta);
                    }
                    result[(p * d) + q] = result[(q * d) + p] = sum / (4 * h * h);
                }
            }
            return result;
        }

        private double Loss(int unit, int neuron, double[] delta)
        {
            double total = 0;
            for (int n = 0; n < N; n++)
            {
                var pooled = new double[ConvOut];
                for (int j = 0; j < ConvOut; j++)
                {
                    for (int y = 0; y < Size; y++)
                    {
                        for (int x = 0; x < Size; x++)
                        {
                            double dot = 0, dd = 0;
                            for (int ci = 0; ci < Cin; ci++)
                            {
                                for (int ky = 0; ky < 3; ky++)
                                {
                                    for (int kx = 0; kx < 3; kx++)
                                    {
                                        int iy = y + ky - 1, ix = x + kx - 1;
                                        if (iy < 0 || iy >= Size || ix < 0 || ix >= Size)
                                        {
                                            continue;
                                        }
                                        int k = (((ci * 3) + ky) * 3) + kx;
                                        double z = _x[(((((n * Cin) + ci) * Size) + iy) * Size) + ix];
                                        dot += _convW[(j * Cin * 9) + k] * z;
                                        dd += unit == 0 ? delta[k] * z : 0;
                                    }
                                }
                            }
                            pooled[j] += unit == 0 && j == neuron
                                ? 0.5 * (Swish((_c[j] * (dot + dd)) + _shift[j]) + Swish((_c[j] * (dot - dd)) + _shift[j]))
                                : Swish((_c[j] * dot) + _shift[j]);
                        }
                    }
                    pooled[j] /= Size * Size;
                }
                var hidden = new double[Hidden];
                for (int o = 0; o < Hidden; o++)
                {
                    double dot = _b1[o], dd = 0;
                    for (int i = 0; i < ConvOut; i++)
                    {
                        dot += _w1[(o * ConvOut) + i] * pooled[i];
                        dd += delta[i] * pooled[i];
                    }
                    hidden[o] = unit == 2 && o == neuron
                        ? 0.5 * (Swish(dot + dd) + Swish(dot - dd))
                        : Swish(dot);
                }
                var logits = new double[Classes];
                double max = double.NegativeInfinity;
                for (int k = 0; k < Classes; k++)
                {
                    logits[k] = _b2[k];
                    for (int i = 0; i < Hidden; i++)
                    {
                        logits[k] += _w2[(k * Hidden) + i] * hidden[i];
                    }
                    max = Math.Max(max, logits[k]);
                }
                double lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                total += lse - logits[_labels[n]];
            }
            return total / N;
        }

        private static double Swish(double a) => a / (1 + Math.Exp(-a));

        private static double[] D(ReadOnlySpan<float> s)
        {
            var r = new double[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                r[i] = s[i];
            }
            return r;
        }
    }
}
