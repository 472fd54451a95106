using Kontor.Commerce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor.Tests.Unit;

public sealed class OrderPullOptionsTests
{
    [Theory]
    [InlineData("OverlapMinutes", "-5", "Commerce:OrderPull:OverlapMinutes must be 0 or more")]
    [InlineData("IntervalMinutes", "-1", "Commerce:OrderPull:IntervalMinutes must be 0 (off) or more")]
    [InlineData("FirstPullHours", "0", "Commerce:OrderPull:FirstPullHours must be more than 0")]
    [InlineData("MaxPages", "0", "Commerce:OrderPull:MaxPages must be at least 1")]
    [InlineData("MaxPageMegabytes", "0", "Commerce:OrderPull:MaxPageMegabytes must be at least 1")]
    [InlineData("ChannelTimeoutMinutes", "0", "Commerce:OrderPull:ChannelTimeoutMinutes must be more than 0")]
    public void A_pull_setting_that_would_skip_or_fail_every_pull_stops_the_start_naming_the_key(string key, string value, string expected)
    {
        var services = new ServiceCollection();
        services.AddKontor(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Kontor"] = "Data Source=:memory:", [$"Commerce:OrderPull:{key}"] = value,
        }).Build());
        using var provider = services.BuildServiceProvider();

        var refusal = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OrderPullOptions>>().Value);
        Assert.Contains(expected, refusal.Message);
    }

    [Fact]
    public void The_defaults_are_fine() => Assert.Empty(new OrderPullOptions().Problems());
}
