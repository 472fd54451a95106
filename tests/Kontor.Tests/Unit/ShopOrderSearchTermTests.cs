using Kontor.Orders;

namespace Kontor.Tests.Unit;

/// <summary>How the order list and the integration log read a typed shop order id: '#' as customers quote it, any case.</summary>
public sealed class ShopOrderSearchTermTests
{
    [Theory]
    [InlineData("#627949", "627949")]
    [InlineData("  # 627949 ", "627949")]
    [InlineData("##A-12", "a-12")]
    [InlineData("ZAM/2026", "zam/2026")]
    [InlineData("#", "#")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void The_term_a_shop_order_id_must_contain(string? typed, string? expected) => Assert.Equal(expected, ShopOrigin.SearchTerm(typed));
}
