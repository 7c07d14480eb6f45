using NasBench.Kernels.Cpu;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting;

/// <summary>Fast splitting (splitting.md §3): λ_min (and optionally λ_max) of every neuron's splitting matrix from
/// matrix–vector products S·v that one back-prop yields for all neurons at once, with Rayleigh-quotient gradient
/// steps on the batched <see cref="RayleighQuotientKernel"/>.</summary>
/// <remarks>
/// <para>Products (§3.2): each splittable unit gets, per probe, a zero weight-shaped y and the current v; the
/// split-aware forward adds σ''(a)·c²·(y·z)(v·z) to the unit's output, so ∂L/∂y = S·v. Network weights are frozen
/// (no weight gradients are computed) and every BN is in eval mode (pitfall P3).</para>
/// <para>Our choices, which differ from the authors' RMSprop update: (1) a few power iterations first estimate each
/// neuron's spectral radius ρ_j; (2) the Rayleigh step is then taken on S_j/(1.1ρ_j), i.e. the products are scaled
/// per neuron before <see cref="RayleighQuotientKernel.StepFromProducts"/>, which makes one step size safe for
/// neurons whose matrices differ by orders of magnitude; (3) λ is estimated on a final pass with v frozen (§3.4,
/// Firefly form) rather than along the trajectory. λ_max uses the same step on −S.</para>
/// <para>Cost per iteration: one forward with two extra linear maps per probe per unit and one backward without
/// weight gradients; memory two weight-shaped tensors per probe per unit.</para>
/// </remarks>
public static class FastSplitting
{
    /// <summary>Estimates the splitting indices of every splittable unit.</summary>
    /// <param name="batches">Mini-batches, visited cyclically: power iterations, then the Rayleigh steps, then the
    /// frozen-v pass.</param>
    /// <param name="progress">Called after each back-prop with (done, total).</param>
    public static IReadOnlyList<LayerSplitIndices> Estimate(GrowableNetwork network,
        IReadOnlyList<LabeledBatch> batches, FastSplitOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(options);
        if (batches.Count == 0)
        {
            throw new ArgumentException("FastSplitting needs at least one batch.", nameof(batches));
        }
        if (options.PowerIterations < 1 || options.Iterations < 0 || !(options.StepSize > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options,
                "FastSplitting needs PowerIterations ≥ 1, Iterations ≥ 0 and StepSize > 0.");
        }
        var units = network.SplittableIndices;
        int probes = options.EstimateMax ? 2 : 1;
        int evaluation = options.EvaluationBatches <= 0 ? batches.Count : Math.Min(options.EvaluationBatches,
            batches.Count);
        int total = options.PowerIterations + options.Iterations + evaluation, done = 0, next = 0;
        var generator = new Generator(options.Seed);
        var layers = units.Select(u => new Layer(u, network.Splittable(u), probes)).ToArray();
        foreach (var layer in layers)
        {
            layer.Randomize(generator);
        }
        var slots = layers.ToDictionary(l => l.UnitIndex, l => l.Slot);
        var parameters = network.Parameters().ToArray();
        var saved = parameters.Select(p => p.RequiresGrad).ToArray();
        bool wasTraining = network.IsTraining;
        foreach (var p in parameters)
        {
            p.RequiresGrad = false;
        }
        network.Eval();
        try
        {
            for (int it = 0; it < options.PowerIterations; it++)
            {
                Products(network, batches[next++ % batches.Count], slots, layers);
                foreach (var layer in layers)
                {
                    layer.PowerStep();
                }
                progress?.Invoke(++done, total);
            }
            foreach (var layer in layers)
            {
                layer.Randomize(generator);
            }
            for (int it = 0; it < options.Iterations; it++)
            {
                Products(network, batches[next++ % batches.Count], slots, layers);
                foreach (var layer in layers)
                {
                    layer.RayleighStep(options.StepSize, options.Momentum);
                }
                progress?.Invoke(++done, total);
            }
            for (int b = 0; b < evaluation; b++)
            {
                Products(network, batches[b], slots, layers);
                foreach (var layer in layers)
                {
                    layer.AccumulateQuotient();
                }
                progress?.Invoke(++done, total);
            }
        }
        finally
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].RequiresGrad = saved[i];
            }
            network.Train(wasTraining);
        }
        return [.. layers.Select(l => l.Result(evaluation))];
    }

    private static void Products(GrowableNetwork network, LabeledBatch batch, Dictionary<int, ProbeSlot> slots,
        Layer[] layers)
    {
        using var scope = TensorScope.Enter();
        var logits = network.Forward(batch.ToTensor(), slots);
        Functional.CrossEntropy(logits, batch.Labels).Backward();
        foreach (var layer in layers)
        {
            layer.ReadProducts();
        }
    }

    /// <summary>Per-unit state: probe vectors, the latest products, ρ and λ accumulators.</summary>
    private sealed class Layer
    {
        private readonly int _c;
        private readonly int _d;
        private readonly Tensor[] _vectors;
        private readonly float[][] _products;
        private readonly double[] _rho;
        private readonly double[][] _lambdaSum;
        private readonly float[] _scaled;
        private readonly float[] _lambda;
        private readonly float[] _previous;
        private readonly float[][] _momentum;

        public Layer(int unitIndex, SplittableUnit unit, int probes)
        {
            UnitIndex = unitIndex;
            _c = unit.OutWidth;
            _d = unit.FanIn;
            _vectors = new Tensor[probes];
            _products = new float[probes][];
            _lambdaSum = new double[probes][];
            for (int k = 0; k < probes; k++)
            {
                _vectors[k] = Tensor.Zeros(unit.Weight.Shape).DetachFromScope();
                _products[k] = new float[_c * _d];
                _lambdaSum[k] = new double[_c];
            }
            _rho = new double[_c];
            _scaled = new float[_c * _d];
            _lambda = new float[_c];
            _previous = new float[_c * _d];
            _momentum = [.. Enumerable.Range(0, probes).Select(_ => new float[_c * _d])];
            Slot = ProbeSlot.ForProducts(_vectors);
        }

        public int UnitIndex { get; }

        public ProbeSlot Slot { get; }

        /// <summary>v ~ U(−0.1, 0.1) per entry, unit norm per neuron (the authors' initialisation).</summary>
        public void Randomize(Generator generator)
        {
            foreach (var m in _momentum)
            {
                Array.Clear(m);
            }
            foreach (var v in _vectors)
            {
                var span = v.AsSpan();
                generator.FillUniform(span, -0.1f, 0.1f);
                for (int j = 0; j < _c; j++)
                {
                    Normalize(span.Slice(j * _d, _d));
                }
            }
        }

        public void ReadProducts()
        {
            for (int k = 0; k < _vectors.Length; k++)
            {
                var y = Slot.Auxiliaries[k];
                if (y.Grad is null)
                {
                    _products[k].AsSpan().Clear();
                }
                else
                {
                    y.Grad.AsReadOnlySpan().CopyTo(_products[k]);
                }
                y.ZeroGrad();
            }
        }

        /// <summary>v ← S·v/‖S·v‖ on the first probe; ρ_j = ‖S·v‖ for unit v.</summary>
        public void PowerStep()
        {
            var v = _vectors[0].AsSpan();
            for (int j = 0; j < _c; j++)
            {
                var sv = _products[0].AsSpan(j * _d, _d);
                double norm = System.Numerics.Tensors.TensorPrimitives.Norm(sv);
                _rho[j] = norm;
                if (norm > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(sv, (float)(1 / norm), v.Slice(j * _d, _d));
                }
            }
        }

        /// <summary>One preconditioned Rayleigh step per probe: products scaled by ±1/(1.1ρ_j) (− for λ_max).</summary>
        public void RayleighStep(float stepSize, float momentum)
        {
            for (int k = 0; k < _vectors.Length; k++)
            {
                float sign = k == 0 ? 1f : -1f;
                for (int j = 0; j < _c; j++)
                {
                    double rho = _rho[j] > 0 ? 1.1 * _rho[j] : 1;
                    System.Numerics.Tensors.TensorPrimitives.Multiply(_products[k].AsSpan(j * _d, _d),
                        (float)(sign / rho), _scaled.AsSpan(j * _d, _d));
                }
                var v = _vectors[k].AsSpan();
                v.CopyTo(_previous);
                RayleighQuotientKernel.StepFromProducts(_c, _d, v, _scaled, stepSize, _lambda);
                if (momentum > 0)
                {
                    var m = _momentum[k].AsSpan();
                    for (int i = 0; i < m.Length; i++)
                    {
                        m[i] = (momentum * m[i]) + (v[i] - _previous[i]);
                        v[i] = _previous[i] + m[i];
                    }
                    for (int j = 0; j < _c; j++)
                    {
                        Normalize(v.Slice(j * _d, _d));
                    }
                }
            }
        }

        /// <summary>Frozen-v estimate: Σ over batches of ⟨v_j, S_b v_j⟩ (v is unit).</summary>
        public void AccumulateQuotient()
        {
            for (int k = 0; k < _vectors.Length; k++)
            {
                var v = _vectors[k].AsReadOnlySpan();
                for (int j = 0; j < _c; j++)
                {
                    _lambdaSum[k][j] += System.Numerics.Tensors.TensorPrimitives.Dot(v.Slice(j * _d, _d),
                        _products[k].AsSpan(j * _d, _d));
                }
            }
        }

        public LayerSplitIndices Result(int batches)
        {
            double[] Mean(double[] sum) => [.. sum.Select(s => s / batches)];
            return new LayerSplitIndices(UnitIndex, _c, _d, Mean(_lambdaSum[0]), _vectors[0].ToArray(),
                _vectors.Length > 1 ? Mean(_lambdaSum[1]) : null, _vectors.Length > 1 ? _vectors[1].ToArray() : null);
        }

        private static void Normalize(Span<float> v)
        {
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
            }
        }
    }
}
