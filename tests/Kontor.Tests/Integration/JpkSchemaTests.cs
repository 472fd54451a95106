using System.Xml.Linq;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Tests.Vat;

namespace Kontor.Tests.Integration;

/// <summary>
/// The JPK_V7M(3) Kontor writes validates against the Ministry of Finance's schema of form 14090 (base schemas stood in,
/// see <see cref="JpkSchema"/>). April 2026 exercises every branch of the generator: a domestic buyer at 23 %, 8 % and zw
/// with a sale date other than the issue date, a German buyer (np, KodKrajuNadaniaTIN), a decreasing correction, purchases
/// of a fixed asset and of other goods received after their issue date — and input VAT above output VAT, so the
/// declaration carries P_53/P_62.
/// </summary>
public abstract class JpkSchemaTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly XNamespace Jpk = "http://crd.gov.pl/wzor/2025/12/19/14090/";

    [Fact]
    public async Task The_JPK_of_a_month_is_valid_against_the_MF_schema_and_an_element_out_of_order_is_not()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 10));
        var sales = await app.ClientAsync(Roles.Sales);
        var buyer = (await sales.CreatePartyAsync("Nabywca Krajowy S.A.")).Id();
        var german = (await sales.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = "Käufer & Söhne GmbH", taxIdKind = "EuVat", taxId = "DE123456789",
            address = new { street = "Hauptstraße 1", postalCode = "10115", city = "Berlin", countryCode = "DE" }, paymentTermDays = 14,
        })).Id();
        var domestic = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = buyer, currency = "PLN", pricingMode = "Net", issueDate = "2026-04-10", saleDate = "2026-04-08",
            lines = new object[]
            {
                new { description = "Usługa", quantity = "10", unitPrice = "100.00", vatRateCode = "23" },
                new { description = "Książki", quantity = "1", unitPrice = "200.00", vatRateCode = "8" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "50.00", vatRateCode = "zw" },
            },
        });
        var issued = await sales.IssueAsync(domestic.Id());
        await sales.IssueAsync((await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = german, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Consulting", quantity = "1", unitPrice = "300.00", vatRateCode = "np" } },
        })).Id());
        app.Clock.SetDate(new DateOnly(2026, 4, 20));
        sales = await app.ClientAsync(Roles.Sales);
        await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{issued.Id()}/corrections",
            new { reason = "Zwrot 1 szt.", lines = new[] { new { position = 1, quantity = "9" } } })).Id());
        app.Clock.SetDate(KontorApp.DefaultToday);

        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplier = (await accountant.CreatePartyAsync("Dostawca Maszyn sp. z o.o.")).Id();
        foreach (var (number, issue, receipt, net, account) in new[]
                 { ("M-1", "2026-04-01", "2026-04-03", "5000.00", "010"), ("Z-1", "2026-04-15", "2026-04-15", "400.00", "402") })
        {
            var draft = await accountant.PostCreatedAsync("/api/purchase-invoices", new
            {
                supplierId = supplier, supplierInvoiceNumber = number, issueDate = issue, receiptDate = receipt,
                lines = new[] { new { net, vatRateCode = "23", accountCode = account } },
            });
            await accountant.PostOkAsync($"/api/purchase-invoices/{draft.Id()}/book");
        }
        await accountant.ExpectAsync(HttpMethod.Put, "/api/vat/settings", new { taxOfficeCode = "1471", email = "ksiegowosc@kontor.test", phone = "+48 22 123 45 67" },
            System.Net.HttpStatusCode.OK);

        var xml = await accountant.GetStringAsync("/api/vat/jpk?year=2026&month=4");
        var document = XDocument.Parse(xml);
        // The file has what this test means to validate (else a valid file could be a trivially small one).
        Assert.Equal(3, document.Descendants(Jpk + "SprzedazWiersz").Count()); // one row per document, whatever its rates
        Assert.Equal(2, document.Descendants(Jpk + "ZakupWiersz").Count());
        Assert.Equal("DE", document.Descendants(Jpk + "KodKrajuNadaniaTIN").Single().Value);
        Assert.Equal(2, document.Descendants(Jpk + "DataSprzedazy").Count()); // the invoice and its correction
        Assert.Single(document.Descendants(Jpk + "DataWplywu"));
        Assert.Single(document.Descendants(Jpk + "P_53"));

        Assert.Equal([], JpkSchema.Validate(xml));

        // The same file with NrKontrahenta moved after NazwaKontrahenta in the first row: the schema refuses it.
        var row = document.Descendants(Jpk + "SprzedazWiersz").First();
        var counterparty = row.Element(Jpk + "NrKontrahenta")!;
        counterparty.Remove();
        row.Element(Jpk + "NazwaKontrahenta")!.AddAfterSelf(counterparty);
        var outOfOrder = JpkSchema.Validate(document);
        Assert.Contains(outOfOrder, p => p.Contains("NazwaKontrahenta", StringComparison.Ordinal) || p.Contains("NrKontrahenta", StringComparison.Ordinal));

        // Without the required control sum of the purchases: refused.
        var withoutControl = XDocument.Parse(xml);
        withoutControl.Descendants(Jpk + "ZakupCtrl").Single().Remove();
        Assert.NotEmpty(JpkSchema.Validate(withoutControl));
    }
}

public sealed class SqliteJpkSchemaTests(SqliteApp app) : JpkSchemaTests<SqliteApp>(app);

public sealed class PostgresJpkSchemaTests(PostgresApp app) : JpkSchemaTests<PostgresApp>(app);
