using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Tests.Vat;

namespace Kontor.Tests.Integration;

/// <summary>
/// A EUR sales invoice in the sales VAT register: its VAT is the PLN amount the invoice states (VatInBaseCurrency,
/// art. 106e ust. 11), its net is converted at the invoice's own NBP rate and rounded to the grosz. The invoice: sale
/// date Thu 12.11.2026 → table 219/A/NBP/2026 of Tue 10.11 (11.11 is a holiday), EUR 4.2415; 1000.00 EUR at 23 % and
/// 333.33 EUR at 8 %. By hand: 23 % net 1000.00 × 4.2415 = 4241.50, VAT 230.00 EUR × 4.2415 = 975.545 → 975.55;
/// 8 % net 333.33 × 4.2415 = 1413.819195 → 1413.82, VAT 26.67 EUR (26.6664) × 4.2415 = 113.120805 → 113.12.
/// A PLN invoice of 100.00 at 23 % (23.00) in the same month adds to the 23 % totals.
/// </summary>
public abstract class VatRegisterEurTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static decimal Number(JsonNode? node) => node!.GetValue<decimal>();

    [Fact]
    public async Task A_EUR_invoice_is_in_the_sales_register_with_its_stated_PLN_VAT_and_its_net_at_its_own_rate()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"import of {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        app.Clock.SetDate(new DateOnly(2026, 11, 13));
        var sales = await app.ClientAsync(Roles.Sales);
        var buyer = (await sales.CreatePartyAsync("Odbiorca Eurowy sp. z o.o.")).Id();
        var eur = await sales.IssueAsync((await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = buyer, currency = "EUR", pricingMode = "Net", saleDate = "2026-11-12",
            lines = new object[]
            {
                new { description = "Licencja", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        })).Id());
        var pln = await sales.IssueAsync((await sales.CreateDraftAsync(buyer, "100.00", "23")).Id());
        accountant = await app.ClientAsync(Roles.Accountant);

        var register = await accountant.GetOkAsync("/api/vat/registers/sales?year=2026&month=11");
        var row = register.Arr("rows").Single(r => r!.Str("number") == eur.Str("number"))!;
        Assert.Equal("EUR", row.Str("currency"));
        Assert.Equal(4.2415m, Number(row["exchangeRate"]));
        var rates = row.Arr("rates").ToDictionary(r => r!.Str("vatRateCode"), r => (Number(r!["net"]), Number(r["vat"])));
        Assert.Equal((4241.50m, 975.55m), rates["23"]);
        Assert.Equal((1413.82m, 113.12m), rates["8"]);
        Assert.Equal((5655.32m, 1088.67m), (Number(row["net"]), Number(row["vat"])));

        var plnRow = register.Arr("rows").Single(r => r!.Str("number") == pln.Str("number"))!;
        Assert.Equal((100.00m, 23.00m), (Number(plnRow["net"]), Number(plnRow["vat"])));
        var totals = register.Arr("totals").ToDictionary(t => t!.Str("vatRateCode"), t => (Number(t!["net"]), Number(t["vat"])));
        Assert.Equal((4341.50m, 998.55m), totals["23"]);
        Assert.Equal((1413.82m, 113.12m), totals["8"]);
        Assert.Equal((5755.32m, 1111.67m), (Number(register["net"]), Number(register["vat"])));

        // The JPK of November carries the same PLN figures and is valid against the schema (base schemas stood in).
        await accountant.ExpectAsync(HttpMethod.Put, "/api/vat/settings", new { taxOfficeCode = "1471", email = "ksiegowosc@kontor.test" }, HttpStatusCode.OK);
        var xml = await accountant.GetStringAsync("/api/vat/jpk?year=2026&month=11");
        Assert.Contains("<K_19>4241.50</K_19>", xml);
        Assert.Contains("<K_20>975.55</K_20>", xml);
        Assert.Contains("<K_17>1413.82</K_17>", xml);
        Assert.Contains("<K_18>113.12</K_18>", xml);
        Assert.Contains("<PodatekNalezny>1111.67</PodatekNalezny>", xml);
        Assert.Equal([], JpkSchema.Validate(xml));
    }
}

public sealed class SqliteVatRegisterEurTests(SqliteApp app) : VatRegisterEurTests<SqliteApp>(app);

public sealed class PostgresVatRegisterEurTests(PostgresApp app) : VatRegisterEurTests<PostgresApp>(app);
