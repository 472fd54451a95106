using Kontor.Commerce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor.Tests.Unit;

public sealed class HeldOrderRetryOptionsTests
{
    [Fact]
    public void A_negative_retry_interval_stops_the_start_naming_the_key()
    {
        var services = new ServiceCollection();
        services.AddKontor(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Kontor"] = "Data Source=:memory:", ["Commerce:HeldOrders:RetryMinutes"] = "-1",
        }).Build());
        using var provider = services.BuildServiceProvider();

        var refusal = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HeldOrderRetryOptions>>().Value);
        Assert.Contains("Commerce:HeldOrders:RetryMinutes must be 0 (off) or more", refusal.Message);
    }

    [Theory]
    [InlineData(0)]     // off
    [InlineData(5)]     // the default
    public void Off_and_the_default_are_fine(double minutes) => Assert.Empty(new HeldOrderRetryOptions { RetryMinutes = minutes }.Problems());
}
