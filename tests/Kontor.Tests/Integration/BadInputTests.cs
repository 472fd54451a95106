using System.Net;
using System.Text.Json;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>Every bad request gets a 4xx problem naming the field, never a 500, and leaves the database as it was.</summary>
public abstract class BadInputTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly Guid Nowhere = Guid.Parse("0195f3a0-0000-7000-8000-000000000001");

    /// <summary>A bad request: where it goes, its body ({party} and {invoice} stand for existing ids, {nowhere} for an unknown one, {line} for a valid line), the status and the field expected.</summary>
    public sealed record BadRequest(string Name, string Path, string Body, HttpStatusCode Status, string Field)
    {
        public override string ToString() => Name;
    }

    private const string Line = """{"description":"Usługa","quantity":"1","unitPrice":"10.00","vatRateCode":"23"}""";

    public static TheoryData<BadRequest> Requests() => new()
    {
        new("NIP with a wrong checksum", "/api/parties", """{"kind":"Company","name":"Zły NIP","taxIdKind":"Nip","taxId":"5260250275"}""", HttpStatusCode.BadRequest, "taxId"),
        new("party without a name", "/api/parties", """{"kind":"Company","taxIdKind":"None"}""", HttpStatusCode.BadRequest, "name"),
        new("party with a blank name", "/api/parties", """{"kind":"Company","name":"   "}""", HttpStatusCode.BadRequest, "name"),
        new("bad e-mail", "/api/parties", """{"kind":"Company","name":"Firma","email":"to-nie-jest-email"}""", HttpStatusCode.BadRequest, "email"),
        new("negative credit limit", "/api/parties", """{"kind":"Company","name":"Firma","creditLimit":{"amount":"-1.00","currency":"PLN"}}""", HttpStatusCode.BadRequest, "creditLimit"),
        new("credit limit in an unknown currency", "/api/parties", """{"kind":"Company","name":"Firma","creditLimit":{"amount":"100.00","currency":"XYZ"}}""", HttpStatusCode.BadRequest, "creditLimit.currency"),
        new("unknown party kind", "/api/parties", """{"kind":"Alien","name":"Firma"}""", HttpStatusCode.BadRequest, "kind"),
        new("payment term of a year and a half", "/api/parties", """{"kind":"Company","name":"Firma","paymentTermDays":500}""", HttpStatusCode.BadRequest, "paymentTermDays"),
        new("malformed JSON", "/api/parties", """{"kind":"Company","name":}""", HttpStatusCode.BadRequest, "name"),
        new("product with an unknown VAT rate", "/api/products", """{"sku":"BAD-VAT","name":"Towar","kind":"Goods","netPrice":{"amount":"10.00","currency":"PLN"},"vatRateCode":"17"}""", HttpStatusCode.BadRequest, "vatRateCode"),
        new("product priced in an unknown currency", "/api/products", """{"sku":"BAD-CUR","name":"Towar","kind":"Goods","netPrice":{"amount":"10.00","currency":"XYZ"},"vatRateCode":"23"}""", HttpStatusCode.BadRequest, "netPrice.currency"),
        new("product with a negative price", "/api/products", """{"sku":"BAD-PRICE","name":"Towar","kind":"Goods","netPrice":{"amount":"-5.00","currency":"PLN"},"vatRateCode":"23"}""", HttpStatusCode.BadRequest, "netPrice"),
        new("invoice for an unknown party", "/api/invoices", """{"partyId":"{nowhere}","lines":[{line}]}""", HttpStatusCode.BadRequest, "partyId"),
        new("invoice in an unknown currency", "/api/invoices", """{"partyId":"{party}","currency":"XYZ","lines":[{line}]}""", HttpStatusCode.BadRequest, "currency"),
        new("line with quantity 0", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":0,"unitPrice":"10.00","vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines[0].quantity"),
        new("discount of 150 %", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":1,"unitPrice":"10.00","discountPercent":150,"vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines[0].discountPercent"),
        new("unknown product", "/api/invoices", """{"partyId":"{party}","lines":[{"productId":"{nowhere}","quantity":1}]}""", HttpStatusCode.BadRequest, "lines[0].productId"),
        new("line with an unknown VAT rate", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":1,"unitPrice":"10.00","vatRateCode":"22"}]}""", HttpStatusCode.BadRequest, "lines[0].vatRateCode"),
        new("line without a price or product", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":1,"vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines[0].unitPrice"),
        new("quantity of the wrong type", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":"abc","unitPrice":"10.00","vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines[0].quantity"),
        new("party id that is not a GUID", "/api/invoices", """{"partyId":"not-a-guid","lines":[]}""", HttpStatusCode.BadRequest, "partyId"),
        new("unknown pricing mode", "/api/invoices", """{"partyId":"{party}","pricingMode":"Cheap","lines":[{line}]}""", HttpStatusCode.BadRequest, "pricingMode"),
        new("payment of 12.345 PLN", "/api/payments", """{"partyId":"{party}","amount":{"amount":"12.345","currency":"PLN"}}""", HttpStatusCode.BadRequest, "amount.amount"),
        new("payment in an unknown currency", "/api/payments", """{"partyId":"{party}","amount":{"amount":"12.00","currency":"XYZ"}}""", HttpStatusCode.BadRequest, "amount.currency"),
        new("payment of zero", "/api/payments", """{"partyId":"{party}","amount":{"amount":"0.00","currency":"PLN"}}""", HttpStatusCode.BadRequest, "amount"),
        new("payment without an amount", "/api/payments", """{"partyId":"{party}"}""", HttpStatusCode.BadRequest, "amount"),
        new("payment for a party that does not exist", "/api/payments", """{"partyId":"{nowhere}","amount":{"amount":"12.00","currency":"PLN"}}""", HttpStatusCode.BadRequest, "partyId"),
        new("payment allocated to an unknown invoice", "/api/payments", """{"partyId":"{party}","amount":{"amount":"12.00","currency":"PLN"},"allocations":[{"invoiceId":"{nowhere}","amount":"12.00"}]}""", HttpStatusCode.BadRequest, "allocations[0].invoiceId"),
        new("allocations above the payment", "/api/payments", """{"partyId":"{party}","amount":{"amount":"12.00","currency":"PLN"},"allocations":[{"invoiceId":"{invoice}","amount":"20.00"}]}""", HttpStatusCode.BadRequest, "allocations"),
        // Found by probing: these were 500s before the fixes listed in the test report.
        new("a null line", "/api/invoices", """{"partyId":"{party}","lines":[null]}""", HttpStatusCode.BadRequest, "lines[0]"),
        new("a null line in a preview", "/api/invoices/preview", """{"partyId":"{party}","lines":[null]}""", HttpStatusCode.BadRequest, "lines[0]"),
        new("a line worth more than the books hold", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":999999999,"unitPrice":"999999999999.9999","vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines[0]"),
        new("an invoice total above the limit", "/api/invoices", """{"partyId":"{party}","lines":[{"description":"x","quantity":1,"unitPrice":"900000000000","vatRateCode":"23"}]}""", HttpStatusCode.BadRequest, "lines"),
        new("a payment above the limit", "/api/payments", """{"partyId":"{party}","amount":{"amount":"9999999999999.99","currency":"PLN"}}""", HttpStatusCode.BadRequest, "amount"),
        new("a credit limit above the limit", "/api/parties", """{"kind":"Company","name":"Firma","creditLimit":{"amount":"99999999999999.00","currency":"PLN"}}""", HttpStatusCode.BadRequest, "creditLimit"),
        new("a null allocation", "/api/payments", """{"partyId":"{party}","amount":{"amount":"10.00","currency":"PLN"},"allocations":[null]}""", HttpStatusCode.BadRequest, "allocations[0]"),
        new("an allocation of 5.001 PLN", "/api/payments", """{"partyId":"{party}","amount":{"amount":"10.00","currency":"PLN"},"allocations":[{"invoiceId":"{invoice}","amount":"5.001"}]}""", HttpStatusCode.BadRequest, "allocations[0].amount"),
        new("a body that is not JSON", "/api/parties", "not json", HttpStatusCode.BadRequest, "body"),
        new("a JSON array instead of an object", "/api/invoices", "[]", HttpStatusCode.BadRequest, "body"),
        new("an impossible date", "/api/payments", """{"partyId":"{party}","date":"2026-02-30","amount":{"amount":"10.00","currency":"PLN"}}""", HttpStatusCode.BadRequest, "date"),
        new("contact without a last name", "/api/parties/{party}/contacts", """{"firstName":"Jan"}""", HttpStatusCode.BadRequest, "lastName"),
    };

    private Guid? partyId, invoiceId;

    private async Task<(Guid Party, Guid Invoice)> ExistingAsync(HttpClient admin)
    {
        partyId ??= (await admin.CreatePartyAsync()).Id();
        invoiceId ??= (await admin.CreateAndIssueAsync(partyId.Value, "100.00")).Id();
        return (partyId.Value, invoiceId.Value);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Bad_request_is_refused_naming_the_field_and_nothing_is_written(BadRequest request)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var (party, invoice) = await ExistingAsync(admin);
        var before = await CountsAsync();

        var (status, body, contentType) = await admin.SendAsync(HttpMethod.Post, request.Path.Replace("{party}", party.ToString()),
            request.Body.Replace("{line}", Line).Replace("{party}", party.ToString()).Replace("{invoice}", invoice.ToString()).Replace("{nowhere}", Nowhere.ToString()));

        Assert.True(status == request.Status, $"{request.Name}: expected {(int)request.Status}, got {(int)status}: {body?.ToJsonString()}");
        Assert.Equal("application/problem+json", contentType);
        var errors = body!["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(request.Field),
            $"{request.Name}: expected errors[\"{request.Field}\"], got {body.ToJsonString()}");
        Assert.NotEmpty(errors![request.Field]!.AsArray());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_an_empty_invoice_cannot_be_issued()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var (party, _) = await ExistingAsync(admin);
        var emptyDraft = (await admin.PostCreatedAsync("/api/invoices", new { partyId = party, lines = Array.Empty<object>() })).Id();
        var before = await CountsAsync();

        var party404 = await admin.SendAsync(HttpMethod.Get, $"/api/parties/{Nowhere}");
        var invoice404 = await admin.SendAsync(HttpMethod.Get, $"/api/invoices/{Nowhere}");
        var issue404 = await admin.SendAsync(HttpMethod.Post, $"/api/invoices/{Nowhere}/issue");
        var overview404 = await admin.SendAsync(HttpMethod.Get, $"/api/parties/{Nowhere}/overview");
        var emptyIssue = await admin.SendAsync(HttpMethod.Post, $"/api/invoices/{emptyDraft}/issue");

        Assert.All([party404, invoice404, issue404, overview404], r => Assert.Equal(HttpStatusCode.NotFound, r.Status));
        Assert.All([party404, invoice404, issue404, overview404], r => Assert.Equal("application/problem+json", r.ContentType));
        Assert.Equal(HttpStatusCode.BadRequest, emptyIssue.Status);
        Assert.NotNull(emptyIssue.Body!["errors"]!["lines"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_second_party_with_the_same_tax_id_is_a_conflict()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var nip = Builders.UniqueNip();
        await admin.PostCreatedAsync("/api/parties", new { kind = "Company", name = "Pierwsza", taxIdKind = "Nip", taxId = nip });
        var before = await CountsAsync();

        var (status, body, _) = await admin.SendAsync(HttpMethod.Post, "/api/parties", new { kind = "Company", name = "Druga", taxIdKind = "Nip", taxId = nip });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(nip, body!.Str("detail"));
        Assert.Equal(before, await CountsAsync());
    }

    private Task<string> CountsAsync() => app.QueryAsync(async db => JsonSerializer.Serialize(new
    {
        parties = await db.Parties.CountAsync(),
        contacts = await db.Contacts.CountAsync(),
        products = await db.Products.CountAsync(),
        invoices = await db.Invoices.CountAsync(),
        lines = await db.InvoiceLines.CountAsync(),
        entries = await db.JournalEntries.CountAsync(),
        payments = await db.Payments.CountAsync(),
        openItems = await db.OpenItems.CountAsync(),
        audit = await db.AuditEntries.CountAsync(),
    }));
}

public sealed class SqliteBadInputTests(SqliteApp app) : BadInputTests<SqliteApp>(app);

public sealed class PostgresBadInputTests(PostgresApp app) : BadInputTests<PostgresApp>(app);
