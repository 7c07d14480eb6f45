using NasBench.Search.Darts.Supernet;

namespace NasBench.Search.Tests.Darts;

public class SupernetConfigTests
{
    [Fact]
    public void The_default_configuration_is_valid() => new SupernetConfig().Validate();

    [Theory]
    [InlineData(0, 5, 10, "InitChannels (initial channels, --init-channels) must be at least 1, got 0.")]
    [InlineData(16, 0, 10, "Layers (cells, --layers) must be at least 1, got 0.")]
    [InlineData(16, 5, 1, "Classes (classes) must be at least 2, got 1.")]
    public void A_bad_size_is_named_with_what_it_must_be(int channels, int layers, int classes, string message)
    {
        var config = new SupernetConfig(InitChannels: channels, Layers: layers, Classes: classes);
        var e = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Equal("Supernet: " + message, e.Message);
    }

    [Fact]
    public void Odd_initial_channels_and_a_multiplier_above_the_node_count_are_errors()
    {
        var odd = Assert.Throws<ArgumentException>(new SupernetConfig(InitChannels: 7).Validate);
        Assert.Contains("must be even", odd.Message, StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(new SupernetConfig(Steps: 3, Multiplier: 4).Validate);
        Assert.Contains("between 1 and Steps = 3, got 4", e.Message, StringComparison.Ordinal);
    }
}
