using NasBench.Hardware;
using NasBench.Hardware.Cost;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>A feed-forward network that grows by neuron splitting. It exposes its splittable units and, for each,
/// the chain of consumers a split must rewire, so splitting is generic over the architecture.</summary>
/// <remarks>Input [N, C, H, W] → logits [N, classes]. Units are registered as children <c>u0</c>, <c>u1</c>, ….
/// The shape after each unit is tracked for cost counting (<see cref="Operations"/>).</remarks>
public sealed class GrowableNetwork : Module<Tensor, Tensor>
{
    private readonly List<GrowableUnit> _units = [];

    /// <summary>Builds the network described by <paramref name="spec"/> with fresh weights from
    /// <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">The spec is not a valid chain (names the unit index and the problem).
    /// </exception>
    public GrowableNetwork(NetworkSpec spec, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(generator);
        Name = spec.Name;
        InputShape = (spec.InChannels, spec.Height, spec.Width);
        int width = spec.InChannels;
        bool flat = false;
        for (int i = 0; i < spec.Units.Count; i++)
        {
            var u = spec.Units[i];
            GrowableUnit unit = u.Kind switch
            {
                UnitKinds.Conv when !flat => new ConvUnit(width, Positive(u.Width, i), u.Kernel, u.Stride, generator),
                UnitKinds.Depthwise when !flat => new DepthwiseUnit(width, u.Stride, generator),
                UnitKinds.MaxPool when !flat => new MaxPoolUnit(width),
                UnitKinds.GlobalPool when !flat => new GlobalPoolUnit(width),
                UnitKinds.Linear when flat => new HiddenLinearUnit(width, Positive(u.Width, i), generator),
                UnitKinds.Classifier when flat && i == spec.Units.Count - 1 =>
                    new ClassifierUnit(width, Positive(u.Width, i), generator),
                _ => throw new ArgumentException(
                    $"Network spec '{spec.Name}', unit {i}: kind '{u.Kind}' is unknown or out of place (image units "
                    + "before 'gap', 'linear' after it, 'classifier' last).", nameof(spec)),
            };
            flat |= u.Kind == UnitKinds.GlobalPool;
            width = unit.OutWidth;
            RegisterModule($"u{i}", unit);
            _units.Add(unit);
        }
        if (_units.Count == 0 || _units[^1] is not ClassifierUnit)
        {
            throw new ArgumentException($"Network spec '{spec.Name}' must end with a 'classifier' unit.", nameof(spec));
        }
    }

    public string Name { get; }

    /// <summary>(C, H, W) of one input image.</summary>
    public (int Channels, int Height, int Width) InputShape { get; }

    public IReadOnlyList<GrowableUnit> Units => _units;

    /// <summary>Indices (into <see cref="Units"/>) of the splittable units, in network order.</summary>
    public IReadOnlyList<int> SplittableIndices =>
        [.. Enumerable.Range(0, _units.Count).Where(i => _units[i] is SplittableUnit)];

    /// <summary>The current architecture, widths included.</summary>
    public NetworkSpec Spec => new(Name, InputShape.Channels, InputShape.Height, InputShape.Width,
        _units[^1].OutWidth, [.. _units.Select(u => u.Spec)]);

    public SplittableUnit Splittable(int unitIndex) => _units[unitIndex] as SplittableUnit
        ?? throw new ArgumentException($"Unit {unitIndex} ({_units[unitIndex].Spec.Kind}) is not splittable.");

    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Forward pass with optional probe slots keyed by unit index (split-aware pass, §2.4 / §3.2).</summary>
    public Tensor Forward(Tensor input, IReadOnlyDictionary<int, ProbeSlot>? probes)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        for (int i = 0; i < _units.Count; i++)
        {
            ProbeSlot? slot = null;
            probes?.TryGetValue(i, out slot);
            x = _units[i].Forward(x, slot);
        }
        return x;
    }

    /// <summary>The units after <paramref name="unitIndex"/> that must follow a split of its channels: every
    /// per-channel or pass-through unit up to and including the first mixing unit.</summary>
    public IReadOnlyList<GrowableUnit> Consumers(int unitIndex)
    {
        var chain = new List<GrowableUnit>();
        for (int i = unitIndex + 1; i < _units.Count; i++)
        {
            chain.Add(_units[i]);
            if (_units[i].Role == ChannelRole.Mixing)
            {
                return chain;
            }
        }
        throw new InvalidOperationException($"Unit {unitIndex} of '{Name}' has no mixing consumer.");
    }

    /// <summary>Output widths per unit (index = unit index).</summary>
    public int[] Widths() => [.. _units.Select(u => u.OutWidth)];

    /// <summary>The operations of one forward pass (batch 1) if the units had the given output widths, for cost
    /// models; names are those of <see cref="GrowableOperationAnalyzer"/>. Pass-through units follow their input.
    /// </summary>
    public IReadOnlyList<OperationConfig> Operations(IReadOnlyList<int>? widths = null)
    {
        widths ??= Widths();
        var ops = new List<OperationConfig>();
        int c = InputShape.Channels, h = InputShape.Height, w = InputShape.Width;
        for (int i = 0; i < _units.Count; i++)
        {
            switch (_units[i])
            {
                case ConvUnit conv:
                    ops.Add(new($"conv{conv.Kernel}x{conv.Kernel}", c, widths[i], h, w, conv.Stride, conv.Kernel, 1, 1));
                    (c, h, w) = (widths[i], ((h - 1) / conv.Stride) + 1, ((w - 1) / conv.Stride) + 1);
                    break;
                case DepthwiseUnit dw:
                    ops.Add(new("dwconv3x3", c, c, h, w, dw.Stride, 3, 1, 1));
                    (h, w) = (((h - 1) / dw.Stride) + 1, ((w - 1) / dw.Stride) + 1);
                    break;
                case MaxPoolUnit:
                    (h, w) = (h / 2, w / 2);
                    break;
                case GlobalPoolUnit:
                    (h, w) = (1, 1);
                    break;
                case HiddenLinearUnit or ClassifierUnit:
                    ops.Add(new("linear", c, widths[i], 1, 1, 1, 1, 1, 1));
                    c = widths[i];
                    break;
                default:
                    throw new InvalidOperationException($"Unknown unit type {_units[i].GetType().Name}.");
            }
        }
        return ops;
    }

    /// <summary>Total cost of one forward pass under <paramref name="model"/>.</summary>
    public double Cost(ICostModel model, IReadOnlyList<int>? widths = null) =>
        Operations(widths).Sum(model.Cost);

    /// <summary>Multiply-accumulates of one forward pass for one image.</summary>
    public long Macs() => Operations().Sum(o => GrowableOperationAnalyzer.Instance.Count(o).Macs);

    /// <summary>Trainable parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    private static int Positive(int width, int index) => width >= 1
        ? width
        : throw new ArgumentException($"Unit {index}: width must be at least 1, got {width}.");
}
