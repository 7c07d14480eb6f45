using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Profiling;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench model stats</c>: parameters and MACs of a genotype's evaluation network or of the DARTS
/// supernet, without training anything.</summary>
internal static class ModelCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("model", "Inspect model architectures (sizes and compute) without training.");
        command.Subcommands.Add(CreateStats(globals));
        return command;
    }

    private static Command CreateStats(GlobalOptions globals)
    {
        var genotype = new Option<string?>("--genotype")
        {
            Description = "Evaluation network of a genotype: a published name (DARTS_V1, DARTS_V2) or a genotype " +
                          "file (JSON or DARTS text form).",
        };
        var supernet = new Option<string?>("--supernet")
        {
            Description = "A search supernet instead of a genotype: 'darts' (all 8 candidate ops on every edge).",
        };
        var channels = new Option<int>("--init-channels")
        {
            Description = "C: channels of the first cells (doubled at each reduction; stem 3C). Even.",
            DefaultValueFactory = _ => 16,
        };
        var layers = new Option<int>("--layers")
        {
            Description = "Cells; reduction cells at L/3 and 2L/3.",
            DefaultValueFactory = _ => 8,
        };
        var classes = new Option<int>("--classes")
        {
            Description = "Output classes.",
            DefaultValueFactory = _ => 10,
        };
        var input = new Option<string>("--input")
        {
            Description = "Input image shape CxHxW, e.g. 1x28x28 (Fashion-MNIST) or 3x32x32 (CIFAR).",
            DefaultValueFactory = _ => "1x28x28",
        };
        var auxiliary = new Option<bool>("--auxiliary")
        {
            Description = "Include DARTS's auxiliary head (after cell 2L/3) in the parameter count, and report its " +
                          "training-time MACs separately. Inference MACs never include it.",
        };
        var command = new Command(
            "stats",
            "Parameters and multiply-accumulates (MACs, one inference forward pass per image: convolutions and " +
            "linear layers) of a network. Exactly one of --genotype or --supernet. For a supernet, parameters are " +
            "the network weights; the architecture weights α are reported separately.")
        {
            genotype, supernet, channels, layers, classes, input, auxiliary,
        };
        CommandActions.Set(command, globals, (session, parse, _) =>
        {
            var stats = Measure(parse.GetValue(genotype), parse.GetValue(supernet), parse.GetValue(channels),
                parse.GetValue(layers), parse.GetValue(classes), parse.GetValue(input)!, parse.GetValue(auxiliary),
                session.Seed);
            if (session.Json)
            {
                session.Out.WriteLine(stats.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var table = new Table().Title("Model statistics").AddColumn("Property").AddColumn("Value");
                foreach (var (key, value) in stats)
                {
                    string text = value is null ? "" : value.GetValueKind() == JsonValueKind.String
                        ? value.GetValue<string>()
                        : value.ToJsonString();
                    table.AddRow(ConsoleText.Plain(key), ConsoleText.Plain(text));
                }
                session.Results.Write(table);
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>The statistics as a JSON object (also what the table shows).</summary>
    internal static JsonObject Measure(string? genotypeName, string? supernetName, int channels, int layers,
        int classes, string input, bool auxiliary, int seed)
    {
        if ((genotypeName is null) == (supernetName is null))
        {
            throw new CliException("model stats: give exactly one of --genotype <name|file> or --supernet darts.");
        }
        var (c, h, w) = ParseInput(input);
        var generator = new Generator((ulong)(uint)seed);
        try
        {
            if (supernetName is not null)
            {
                if (!string.Equals(supernetName, "darts", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException($"--supernet: unknown supernet '{supernetName}'; known: darts.");
                }
                if (auxiliary)
                {
                    throw new CliException("--auxiliary applies to a genotype's evaluation network, not a supernet.");
                }
                var net = new DartsSupernet(new SupernetConfig(channels, layers, classes, c, h, w), generator);
                var s = ModelStatistics.Measure(net, [c, h, w]);
                return Result("supernet darts", channels, layers, classes, [c, h, w], s.Parameters, s.MacsPerSample,
                    o => o["architectureParameters"] = net.ArchitectureParameters().Sum(p => (long)p.Numel));
            }
            Genotype genotype;
            try
            {
                genotype = PublishedGenotypes.Resolve(genotypeName!);
            }
            catch (Exception e) when (e is GenotypeFormatException or IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--genotype: {e.Message}", e);
            }
            var network = new DartsNetwork(genotype,
                new NetworkConfig(channels, layers, classes, c, h, w, auxiliary), generator);
            var stats = ModelStatistics.Measure(network, [c, h, w]);
            long parameters = network.CountParameters(includeAuxiliary: auxiliary);
            return Result($"genotype {genotypeName}", channels, layers, classes, [c, h, w], parameters,
                stats.MacsPerSample, o =>
                {
                    o["auxiliary"] = auxiliary;
                    if (auxiliary)
                    {
                        o["auxiliaryParameters"] = parameters - network.CountParameters();
                        o["auxiliaryMacs"] = ModelStatistics.Measure(network, [c, h, w], trainingMode: true)
                            .MacsPerSample - stats.MacsPerSample;
                    }
                });
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static JsonObject Result(string model, int channels, int layers, int classes, int[] input,
        long parameters, long macs, Action<JsonObject> extra)
    {
        var o = new JsonObject
        {
            ["model"] = model,
            ["initChannels"] = channels,
            ["layers"] = layers,
            ["classes"] = classes,
            ["input"] = new JsonArray(input.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["parameters"] = parameters,
            ["macs"] = macs,
        };
        extra(o);
        return o;
    }

    private static (int C, int H, int W) ParseInput(string text)
    {
        var parts = text.Split('x', 'X', '×');
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int c)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && c > 0 && h > 0 && w > 0)
        {
            return (c, h, w);
        }
        throw new CliException($"--input: expected CxHxW with positive integers (e.g. 1x28x28), got '{text}'.");
    }
}
