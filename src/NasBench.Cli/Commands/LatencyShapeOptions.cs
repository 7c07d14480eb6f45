using System.CommandLine;
using System.Globalization;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;

namespace NasBench.Cli.Commands;

/// <summary>The network-shape options the latency verbs share: which DARTS network (C, cells, input, classes) and
/// which batch the latencies refer to.</summary>
internal sealed class LatencyShapeOptions
{
    public Option<int> InitChannels { get; } = new("--init-channels")
    {
        Description = "C of the first cells (doubles at each reduction cell).",
        DefaultValueFactory = _ => 8,
    };

    public Option<int> Layers { get; } = new("--layers")
    {
        Description = "Number of cells; reduction cells at ⌊L/3⌋ and ⌊2L/3⌋.",
        DefaultValueFactory = _ => 5,
    };

    public Option<string> Input { get; } = new("--input")
    {
        Description = "Input CxHxW, e.g. 1x28x28 (Fashion-MNIST) or 3x32x32 (CIFAR).",
        DefaultValueFactory = _ => "1x28x28",
    };

    public Option<int> Classes { get; } = new("--classes")
    {
        Description = "Classifier outputs.",
        DefaultValueFactory = _ => 10,
    };

    public Option<int> Batch { get; } = new("--batch")
    {
        Description = "Batch size the latencies refer to.",
        DefaultValueFactory = _ => 1,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(InitChannels);
        command.Options.Add(Layers);
        command.Options.Add(Input);
        command.Options.Add(Classes);
        command.Options.Add(Batch);
    }

    /// <exception cref="CliException">A malformed --input or an invalid shape.</exception>
    public DartsNetworkLayout Bind(ParseResult parseResult)
    {
        string input = parseResult.GetRequiredValue(Input);
        string[] parts = input.Split('x', 'X');
        var dims = new int[3];
        if (parts.Length != 3 || !parts.Select((p, i) => int.TryParse(p, NumberStyles.None,
                CultureInfo.InvariantCulture, out dims[i]) && dims[i] > 0).All(ok => ok))
        {
            throw new CliException($"--input '{input}': expected CxHxW with positive integers, e.g. 1x28x28.");
        }
        int batch = parseResult.GetValue(Batch);
        if (batch < 1)
        {
            throw new CliException($"--batch {batch}: expected at least 1.");
        }
        var config = new NetworkConfig(parseResult.GetValue(InitChannels), parseResult.GetValue(Layers),
            parseResult.GetValue(Classes), dims[0], dims[1], dims[2]);
        try
        {
            return new DartsNetworkLayout(config, batch);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>A short name for cached tables, e.g. <c>darts-c8-l5-1x28x28-b1</c>.</summary>
    public static string TableName(DartsNetworkLayout layout)
    {
        var c = layout.Config;
        return string.Create(CultureInfo.InvariantCulture,
            $"darts-c{c.InitChannels}-l{c.Layers}-{c.InputChannels}x{c.InputHeight}x{c.InputWidth}-k{c.Classes}-b{layout.Batch}");
    }
}
