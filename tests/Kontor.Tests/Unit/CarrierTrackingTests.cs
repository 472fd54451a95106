using Kontor.Orders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor.Tests.Unit;

public sealed class CarrierTrackingTests
{
    private static CarrierTracking Tracking(params (string Name, string Template)[] configured)
    {
        var options = new CarrierOptions();
        foreach (var (name, template) in configured) options.Carriers[name] = template;
        return new CarrierTracking(Options.Create(options));
    }

    [Theory]
    [InlineData("InPost", "620123456789", "https://inpost.pl/sledzenie-przesylek?number=620123456789")]
    [InlineData("inpost paczkomaty", "620123456789", "https://inpost.pl/sledzenie-przesylek?number=620123456789")]
    [InlineData("POCZTA-POLSKA", "RR123456785PL", "https://emonitoring.poczta-polska.pl/?numer=RR123456785PL")]
    [InlineData("Pocztex", " RR123456785PL ", "https://emonitoring.poczta-polska.pl/?numer=RR123456785PL")]
    [InlineData("InPost", "620 123 456\u00a0789", "https://inpost.pl/sledzenie-przesylek?number=620123456789")]   // as the label groups it
    [InlineData("DPD Polska", "00340434161094042557", "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=00340434161094042557")]
    [InlineData("UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784")]
    [InlineData("сдэк", "1234567890", "https://www.cdek.ru/ru/tracking?order_id=1234567890")]
    [InlineData("CDEK", "1234567890", "https://www.cdek.ru/ru/tracking?order_id=1234567890")]
    [InlineData("ПОЧТА РОССИИ", "80085270123456", "https://www.pochta.ru/tracking?barcode=80085270123456")]
    [InlineData("DHL Express", "1234567890", "https://www.dhl.com/pl-pl/home/tracking.html?tracking-id=1234567890&submit=1")]
    // A number is data in someone else's address: characters with a meaning in a URL are escaped, not interpreted.
    [InlineData("DHL", "JD0146&x=1/2", "https://www.dhl.com/pl-pl/home/tracking.html?tracking-id=JD0146%26x%3D1%2F2&submit=1")]
    public void A_known_carrier_in_any_spelling_links_to_its_tracking_page(string carrier, string number, string expected) =>
        Assert.Equal(expected, Tracking().UrlFor(carrier, number));

    [Theory]
    [InlineData("Kurier Janek", "123")]   // not a carrier Kontor knows
    [InlineData("InPost", null)]
    [InlineData("InPost", "  ")]
    [InlineData(null, "620123456789")]
    [InlineData("", "620123456789")]
    public void Without_a_known_carrier_and_a_number_there_is_no_link(string? carrier, string? number) =>
        Assert.Null(Tracking().UrlFor(carrier, number));

    [Fact]
    public void Configuration_adds_carriers_replaces_a_built_in_page_and_turns_one_off()
    {
        var tracking = Tracking(
            ("Kurier Janek", "https://janek.example/track/{number}"),
            ("inpost", "https://example.pl/inpost?n={number}"),
            ("FedEx", ""));

        Assert.Equal("https://janek.example/track/A1", tracking.UrlFor("kurier-janek", "A1"));
        Assert.Equal("https://example.pl/inpost?n=620", tracking.UrlFor("InPost", "620"));
        Assert.Equal("https://example.pl/inpost?n=620", tracking.UrlFor("InPost Paczkomaty", "620"));   // every spelling of the carrier follows
        Assert.Null(tracking.UrlFor("FedEx", "1234"));
        Assert.Equal("https://www.ups.com/track?tracknum=1Z9", tracking.UrlFor("UPS", "1Z9"));   // the others stay
        Assert.Contains("Kurier Janek", tracking.Names);
        Assert.DoesNotContain("FedEx", tracking.Names);
        Assert.Equal(1, tracking.Names.Count(n => string.Equals(n, "InPost", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("Kurier Janek", "https://janek.example/track", null, "Orders:Carriers:Kurier Janek must be an absolute")]   // no {number}
    [InlineData("Kurier Janek", "janek.example/track/{number}", null, "Orders:Carriers:Kurier Janek must be an absolute")]   // not absolute
    [InlineData("Kurier Janek", "ftp://janek.example/{number}", null, "Orders:Carriers:Kurier Janek must be an absolute")]
    [InlineData("--", "https://janek.example/{number}", null, "Orders:Carriers:-- has no letters or digits")]
    [InlineData("Kurier Janek", "https://janek.example/{number}", "KURIER-JANEK", "which name the same carrier")]
    public void A_carrier_setting_that_would_give_broken_links_stops_the_start_naming_the_key(string name, string template, string? sameCarrier, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Kontor"] = "Data Source=:memory:", [$"Orders:Carriers:{name}"] = template,
        };
        if (sameCarrier is not null) settings[$"Orders:Carriers:{sameCarrier}"] = template;
        var services = new ServiceCollection();
        services.AddKontor(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();

        var refusal = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CarrierOptions>>().Value);
        Assert.Contains(expected, refusal.Message);
    }
}
