using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Makes user- and machine-supplied strings safe to embed in Spectre markup.</summary>
/// <remarks>Markup parses <c>[</c> and <c>]</c>: a DARTS genotype such as <c>[('sep_conv_3x3', 0)]</c>, a CPU model or
/// a file name would otherwise throw or be styled. Every string that did not come from a literal in our code goes
/// through <see cref="Escape"/> or is written as a <see cref="Text"/>.</remarks>
internal static class ConsoleText
{
    public static string Escape(string? value) => Markup.Escape(value ?? string.Empty);

    /// <summary>A table cell or renderable that is never parsed as markup.</summary>
    public static Text Plain(string? value) => new(value ?? string.Empty);
}
