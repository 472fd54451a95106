using System.Net;
using System.Xml.Linq;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>
/// VAT registers and JPK_V7M(3) of April 2026, with totals computed by hand:
/// sales — FV A: 10 × 100.00 at 23 % (1000.00 / 230.00); FV B: 200.00 at 8 % (16.00) + 50.00 zw; a correction of A to
/// 9 pieces (−100.00 / −23.00); purchases received in April — 400.00 at 23 % to 402 (92.00) and a machine 2000.00 at
/// 23 % to 010 (460.00); a purchase received in May is not in April.
/// </summary>
public abstract class VatRegisterTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly XNamespace Jpk = "http://crd.gov.pl/wzor/2025/12/19/14090/";

    [Fact]
    public async Task April_registers_and_JPK_carry_hand_computed_totals_and_control_sums_equal_to_the_registers()
    {
        // Tokens are valid for a while from the clock's now: take clients after moving it.
        app.Clock.SetDate(new DateOnly(2026, 4, 10));
        var sales = await app.ClientAsync(Roles.Sales);
        var buyer = (await sales.CreatePartyAsync("Nabywca Testowy S.A.")).Id();
        var a = await sales.IssueAsync((await sales.CreateDraftAsync(buyer, "100.00", "23", quantity: "10")).Id());
        var bDraft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = buyer, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Książki", quantity = "1", unitPrice = "200.00", vatRateCode = "8" }, new { description = "Kurs", quantity = "1", unitPrice = "50.00", vatRateCode = "zw" } },
        });
        await sales.IssueAsync(bDraft.Id());
        app.Clock.SetDate(new DateOnly(2026, 4, 20));
        sales = await app.ClientAsync(Roles.Sales);
        var correctionDraft = await sales.PostCreatedAsync($"/api/invoices/{a.Id()}/corrections", new { reason = "Zwrot 1 szt.", lines = new[] { new { position = 1, quantity = "9" } } });
        await sales.IssueAsync(correctionDraft.Id());
        app.Clock.SetDate(KontorApp.DefaultToday);
        sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);

        var supplier = (await accountant.CreatePartyAsync("Dostawca Maszyn sp. z o.o.")).Id();
        async Task BookAsync(string number, DateOnly issue, DateOnly receipt, string net, string account)
        {
            var d = await accountant.PostCreatedAsync("/api/purchase-invoices", new
            {
                supplierId = supplier, supplierInvoiceNumber = number, issueDate = issue, receiptDate = receipt,
                lines = new[] { new { net, vatRateCode = "23", accountCode = account } },
            });
            await accountant.PostOkAsync($"/api/purchase-invoices/{d.Id()}/book");
        }
        await BookAsync("Z-1", new(2026, 3, 30), new(2026, 4, 2), "400.00", "402");
        await BookAsync("Z-2", new(2026, 4, 15), new(2026, 4, 15), "2000.00", "010");
        await BookAsync("Z-3", new(2026, 4, 28), new(2026, 5, 4), "999.00", "402");

        var salesRegister = await accountant.GetOkAsync("/api/vat/registers/sales?year=2026&month=4");
        Assert.Equal(3, salesRegister.Arr("rows").Count);
        Assert.Equal((1150.00m, 223.00m), (salesRegister["net"]!.GetValue<decimal>(), salesRegister["vat"]!.GetValue<decimal>()));
        var totals = salesRegister.Arr("totals").ToDictionary(t => t!.Str("vatRateCode"), t => (t!["net"]!.GetValue<decimal>(), t["vat"]!.GetValue<decimal>()));
        Assert.Equal((900.00m, 207.00m), totals["23"]);
        Assert.Equal((200.00m, 16.00m), totals["8"]);
        Assert.Equal((50.00m, 0m), totals["zw"]);
        var correctionRow = salesRegister.Arr("rows")[2]!;
        Assert.Equal(("Correction", -100.00m), (correctionRow.Str("kind"), correctionRow["net"]!.GetValue<decimal>()));

        var purchaseRegister = await accountant.GetOkAsync("/api/vat/registers/purchases?year=2026&month=4");
        Assert.Equal(["Z-1", "Z-2"], purchaseRegister.Arr("rows").Select(r => r!.Str("number")).ToArray());
        Assert.Equal((2000.00m, 460.00m, 400.00m, 92.00m, 552.00m),
            (purchaseRegister["fixedAssetNet"]!.GetValue<decimal>(), purchaseRegister["fixedAssetVat"]!.GetValue<decimal>(),
             purchaseRegister["otherNet"]!.GetValue<decimal>(), purchaseRegister["otherVat"]!.GetValue<decimal>(), purchaseRegister["deductibleVat"]!.GetValue<decimal>()));

        var csvBytes = await accountant.GetByteArrayAsync("/api/vat/registers/sales.csv?year=2026&month=4");
        // For programs: no BOM (it would end up in the first column's name), RFC 4180 line ends.
        var csv = System.Text.Encoding.UTF8.GetString(csvBytes);
        Assert.StartsWith("Lp;Number;Kind", csv);
        Assert.Contains(";-100.00;-23.00;", csv);
        Assert.Equal(salesRegister.Arr("rows").Count + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // XLSX of both registers (the report export): per-rate columns and totals as numbers, by hand as above.
        const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        var salesSheet = XlsxSheet.Rows(await accountant.DownloadAsync("/api/vat/registers/sales.xlsx?year=2026&month=4", Xlsx));
        var header = salesSheet.RowWith(0, "Lp");
        int Col(List<string?> head, string title) => head.IndexOf(title);
        var salesTotal = salesSheet.RowWith(1, "Razem");
        Assert.Equal(("900", "207", "200", "16", "50", "0", "1150", "223"),
            (salesTotal[Col(header, "Netto 23")], salesTotal[Col(header, "VAT 23")], salesTotal[Col(header, "Netto 8")], salesTotal[Col(header, "VAT 8")],
             salesTotal[Col(header, "Netto zw")], salesTotal[Col(header, "VAT zw")], salesTotal[Col(header, "Netto")], salesTotal[Col(header, "VAT")]));
        var correctionLine = salesSheet.RowWith(0, "3");
        Assert.Equal(("Correction", "-100", "-23"), (correctionLine[Col(header, "Rodzaj")], correctionLine[Col(header, "Netto 23")], correctionLine[Col(header, "VAT 23")]));
        var purchaseSheet = XlsxSheet.Rows(await accountant.DownloadAsync("/api/vat/registers/purchases.xlsx?year=2026&month=4", Xlsx));
        var purchaseHeader = purchaseSheet.RowWith(0, "Lp");
        Assert.Equal(["Z-1", "Z-2"], purchaseSheet.Where(r => r.Count > 1 && r[0] is "1" or "2" && r != purchaseHeader).Select(r => r[1]!).ToArray());
        var purchaseTotal = purchaseSheet.RowWith(1, "Razem");
        Assert.Equal(("2000", "460", "400", "92", "552"),
            (purchaseTotal[Col(purchaseHeader, "Netto środki trwałe")], purchaseTotal[Col(purchaseHeader, "VAT środki trwałe")], purchaseTotal[Col(purchaseHeader, "Netto pozostałe")],
             purchaseTotal[Col(purchaseHeader, "VAT pozostałe")], purchaseTotal[Col(purchaseHeader, "VAT do odliczenia")]));

        // JPK needs the tax office and e-mail first: 400 naming them.
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Get, "/api/vat/jpk?year=2026&month=4");
        Assert.True(status == HttpStatusCode.BadRequest && body!["errors"]!["taxOfficeCode"] is not null, $"{(int)status} {body?.ToJsonString()}");
        Assert.Equal(HttpStatusCode.BadRequest, (await accountant.SendAsync(HttpMethod.Put, "/api/vat/settings", new { taxOfficeCode = "14X1", email = "ksiegowosc@kontor.test" })).Status);
        await accountant.ExpectAsync(HttpMethod.Put, "/api/vat/settings", new { taxOfficeCode = "1471", email = "ksiegowosc@kontor.test" }, HttpStatusCode.OK);

        var xml = XDocument.Parse(await accountant.GetStringAsync("/api/vat/jpk?year=2026&month=4"));
        var root = xml.Root!;
        Assert.Equal(Jpk + "JPK", root.Name);
        Assert.Equal("JPK_V7M (3)", root.Element(Jpk + "Naglowek")!.Element(Jpk + "KodFormularza")!.Attribute("kodSystemowy")!.Value);
        Assert.Equal(("1471", "2026", "4"), (root.Descendants(Jpk + "KodUrzedu").Single().Value, root.Descendants(Jpk + "Rok").Single().Value, root.Descendants(Jpk + "Miesiac").Single().Value));

        var p = root.Descendants(Jpk + "PozycjeSzczegolowe").Single().Elements().ToDictionary(e => e.Name.LocalName, e => long.Parse(e.Value));
        var expected = new Dictionary<string, long>
        {
            ["P_10"] = 50, ["P_17"] = 200, ["P_18"] = 16, ["P_19"] = 900, ["P_20"] = 207, ["P_37"] = 1150, ["P_38"] = 223,
            ["P_40"] = 2000, ["P_41"] = 460, ["P_42"] = 400, ["P_43"] = 92, ["P_48"] = 552, ["P_51"] = 0, ["P_53"] = 329, ["P_62"] = 329,
        };
        Assert.Equal(expected.OrderBy(x => x.Key), p.OrderBy(x => x.Key));

        var salesRows = root.Descendants(Jpk + "SprzedazWiersz").ToList();
        Assert.Equal(3, salesRows.Count);
        Assert.Equal(["-100.00", "-23.00"], new[] { salesRows[2].Element(Jpk + "K_19")!.Value, salesRows[2].Element(Jpk + "K_20")!.Value });
        var salesCtrl = root.Descendants(Jpk + "SprzedazCtrl").Single();
        Assert.Equal(("3", "223.00"), (salesCtrl.Element(Jpk + "LiczbaWierszySprzedazy")!.Value, salesCtrl.Element(Jpk + "PodatekNalezny")!.Value));
        // The control sum is the sum of the rows' tax fields, and equals the register.
        Assert.Equal(223.00m, salesRows.SelectMany(r => r.Elements()).Where(e => e.Name.LocalName is "K_16" or "K_18" or "K_20").Sum(e => decimal.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture)));
        var purchaseRows = root.Descendants(Jpk + "ZakupWiersz").ToList();
        Assert.Equal(2, purchaseRows.Count);
        var purchaseCtrl = root.Descendants(Jpk + "ZakupCtrl").Single();
        Assert.Equal(("2", "552.00"), (purchaseCtrl.Element(Jpk + "LiczbaWierszyZakupow")!.Value, purchaseCtrl.Element(Jpk + "PodatekNaliczony")!.Value));
        Assert.Equal(552.00m, purchaseRows.SelectMany(r => r.Elements()).Where(e => e.Name.LocalName is "K_41" or "K_43").Sum(e => decimal.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture)));

        // Before February 2026 there is no JPK_V7M(3); a month 13 is 400 naming it.
        Assert.Equal(HttpStatusCode.BadRequest, (await accountant.SendAsync(HttpMethod.Get, "/api/vat/jpk?year=2026&month=1")).Status);
        var (badStatus, badBody, _) = await accountant.SendAsync(HttpMethod.Get, "/api/vat/registers/sales?year=2026&month=13");
        Assert.True(badStatus == HttpStatusCode.BadRequest && badBody!["errors"]!["month"] is not null, badBody?.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Get, "/api/vat/jpk?year=2026&month=4")).Status);
    }
}

public sealed class SqliteVatRegisterTests(SqliteApp app) : VatRegisterTests<SqliteApp>(app);

public sealed class PostgresVatRegisterTests(PostgresApp app) : VatRegisterTests<PostgresApp>(app);
