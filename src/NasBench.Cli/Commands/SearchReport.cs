using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Cli.Reports;
using NasBench.Hardware.Cost;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Search;
using NasBench.Search.Experiments;
using NasBench.Tensors;
using NasBench.Tensors.Profiling;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary>The outcome of <c>nasbench search</c> as JSON (<c>result.json</c>, <c>--json</c>), Markdown
/// (<c>report.md</c>), an SVG of the search curves and a console table.</summary>
internal sealed class SearchReport
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A diverged search's NaN loss is written as the string "NaN" instead of losing the whole report.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly RunDirectory _run;
    private readonly string _algorithm;
    private readonly string _dataset;
    private readonly BlockSearchSettings _settings;
    private readonly ICostModel _cost;
    private readonly BlockSearchResult _result;
    private readonly long _parameters;
    private readonly long _macs;
    private readonly double _genotypeCost;
    private readonly IReadOnlyList<string[]> _history;

    public SearchReport(RunDirectory run, string algorithm, string dataset, BlockSearchSettings settings,
        ICostModel cost, BlockSearchResult result)
    {
        _run = run;
        _algorithm = algorithm;
        _dataset = dataset;
        _settings = settings;
        _cost = cost;
        _result = result;
        var s = settings.Supernet;
        // The found cell measured as an evaluation network of the search's width and depth.
        var config = new NetworkConfig(s.InitChannels, s.Layers, s.Classes, s.InputChannels, s.InputHeight,
            s.InputWidth, StemMultiplier: s.StemMultiplier);
        var net = new DartsNetwork(result.Genotype, config, new Generator(0));
        _parameters = net.CountParameters();
        _macs = ModelStatistics.Measure(net, [s.InputChannels, s.InputHeight, s.InputWidth]).MacsPerSample;
        _genotypeCost = ArchitectureCostTable.Build(s, cost).CostOf(result.Genotype);
        _history = File.Exists(run.HistoryPath)
            ? new HistoryCsv(run.HistoryPath, algorithm == "random"
                ? RandomBlockSearch.HistoryColumns
                : BlockSearchRunner.HistoryColumns).ReadRows()
            : [];
    }

    public JsonObject ToJson() => new()
    {
        ["run"] = _run.Path,
        ["stage"] = "block",
        ["algorithm"] = _algorithm,
        ["dataset"] = _dataset,
        ["epochs"] = _settings.Epochs,
        ["seed"] = _settings.Seed,
        ["genotype"] = _result.Genotype.ToString(),
        ["genotypeJson"] = JsonNode.Parse(GenotypeJson.Serialize(_result.Genotype)),
        ["validationAccuracy"] = _result.ValidationAccuracy,
        ["normalizedCost"] = double.IsNaN(_result.NormalizedCost) ? null : _result.NormalizedCost,
        ["cost"] = _cost.Name,
        ["costUnit"] = _cost.Unit,
        ["cellCost"] = _genotypeCost,
        ["parameters"] = _parameters,
        ["macs"] = _macs,
        ["searchSeconds"] = _result.Seconds,
    };

    public Table ToTable()
    {
        var table = new Table().Title("Block search result").AddColumn("Quantity").AddColumn("Value");
        void Row(string k, string v) => table.AddRow(ConsoleText.Plain(k), ConsoleText.Plain(v));
        Row("Algorithm", _algorithm);
        Row("Genotype", _result.Genotype.ToString());
        Row("Validation accuracy (α split)", _result.ValidationAccuracy.ToString("P2", CultureInfo.InvariantCulture));
        Row($"Searched cells' {_cost.Name} ({_cost.Unit})", _genotypeCost.ToString("G6", CultureInfo.InvariantCulture));
        Row("Network at search size: parameters", _parameters.ToString("N0", CultureInfo.InvariantCulture));
        Row("Network at search size: MACs / image", _macs.ToString("N0", CultureInfo.InvariantCulture));
        Row("Search time (this process)", TimeSpan.FromSeconds(_result.Seconds).ToString(@"hh\:mm\:ss",
            CultureInfo.InvariantCulture));
        Row("Run directory", _run.Path);
        return table;
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"# Block search: {_algorithm}").AppendLine()
            .AppendLine(ci, $"- Dataset: {_dataset} (training set split {_settings.TrainPortion:P0} weights / rest α)")
            .AppendLine(ci, $"- Supernet: C = {_settings.Supernet.InitChannels}, {_settings.Supernet.Layers} cells, " +
                            $"batch {_settings.BatchSize}, {_settings.Epochs} epochs, seed {_settings.Seed}")
            .AppendLine(CostLine())
            .AppendLine().AppendLine("## Result").AppendLine()
            .AppendLine("| quantity | value |").AppendLine("|---|---|")
            .AppendLine(ci, $"| validation accuracy (α split) | {_result.ValidationAccuracy:P2} |")
            .AppendLine(ci, $"| searched cells' {_cost.Name} | {_genotypeCost:G6} {_cost.Unit} |")
            .AppendLine(ci, $"| network at search size: parameters | {_parameters:N0} |")
            .AppendLine(ci, $"| network at search size: MACs / image | {_macs:N0} |")
            .AppendLine(ci, $"| search time | {_result.Seconds:F1} s |").AppendLine()
            .AppendLine("Genotype (DARTS text form):").AppendLine().AppendLine("```")
            .AppendLine(_result.Genotype.ToString()).AppendLine("```").AppendLine()
            .AppendLine("![search curves](search.svg)").AppendLine()
            .AppendLine(ci, $"Train it from scratch: `nasbench train --genotype {_run.GenotypePath}`.");
        return sb.ToString();
    }

    private string CostLine() => string.Create(CultureInfo.InvariantCulture,
        $"- Cost model: {_cost.Name} ({_cost.Unit})") + (_algorithm == "eg-darts"
        ? string.Create(CultureInfo.InvariantCulture,
            $", λ = {_settings.Lambda}, warm-up {_settings.EffectiveLambdaWarmup} epochs, norm cap {_settings.MaxRelativeNorm}")
        : " (reported only; not used by this algorithm)");

    public string Chart()
    {
        var ci = CultureInfo.InvariantCulture;
        if (_algorithm == "random")
        {
            return new SvgLineChart("Random search: accuracy of each sample", "sample", "validation accuracy")
                .Add("val acc", _history.Select(r => (double.Parse(r[0], ci), double.Parse(r[3], ci))))
                .Render();
        }
        var chart = new SvgLineChart($"{_algorithm}: search curves", "epoch", "accuracy / normalised cost")
            .Add("train acc", _history.Select(r => (double.Parse(r[0], ci), double.Parse(r[4], ci))))
            .Add("val acc (α steps)", _history.Select(r => (double.Parse(r[0], ci), double.Parse(r[6], ci))));
        if (_algorithm == "eg-darts")
        {
            chart.Add("Ĉ(α)", _history.Select(r => (double.Parse(r[0], ci), double.Parse(r[7], ci))));
        }
        return chart.Render();
    }
}
