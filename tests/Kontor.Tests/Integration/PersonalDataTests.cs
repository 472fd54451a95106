using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// GDPR through the API: export of everything about a person; erasure anonymises the live records, keeps issued invoices
/// (with their buyer snapshots) for the statutory period and says so; refused while the person owes money; companies are
/// not personal data but their contacts are.
/// </summary>
public abstract class PersonalDataTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static Task<JsonNode> CreatePersonAsync(HttpClient client, string name, string email, string? pesel = null) =>
        client.PostCreatedAsync("/api/parties", new
        {
            kind = "Person", name,
            taxIdKind = pesel is null ? "None" : "Pesel", taxId = pesel,
            address = new { street = "ul. Prywatna 7 m. 3", postalCode = "02-222", city = "Łódź", countryCode = "PL" },
            email, phone = "+48 600 100 200", paymentTermDays = 7,
            contacts = new[] { new { firstName = "Anna", lastName = "Pełnomocnik", position = "pełnomocnik", email = "anna.p@example.pl", phone = "+48 600 300 400" } },
        });

    [Fact]
    public async Task Export_contains_the_persons_data_documents_payments_and_audit_and_is_audited()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var admin = await app.ClientAsync(Roles.Admin);
        var name = "Jan Eksportowy " + Guid.NewGuid().ToString("N")[..6];
        var party = await CreatePersonAsync(sales, name, "jan.eksport@example.pl", pesel: "44051401359");
        var invoice = await sales.CreateAndIssueAsync(party.Id(), "100.00");
        await admin.PayAsync(party.Id(), "123.00");

        var data = await admin.GetOkAsync($"/api/parties/{party.Id()}/personal-data");

        Assert.Equal((name, "44051401359", "jan.eksport@example.pl", "+48 600 100 200"), (data.Str("name"), data.Str("taxId"), data.Str("email"), data.Str("phone")));
        Assert.Equal("ul. Prywatna 7 m. 3", data["address"].Str("street"));
        Assert.Equal("Pełnomocnik", data.Arr("contacts").Single()!.Str("lastName"));
        var document = data.Arr("documents").Single(d => d.Str("id") == invoice.Str("id"))!;
        Assert.Equal((invoice.Str("number"), "invoice", "Issued", "2026-06-01", name), (document.Str("number"), document.Str("type"), document.Str("status"), document.Str("date"), document.Str("buyerName")));
        Assert.Equal(123.00m, document["gross"]!.GetValue<decimal>());
        Assert.Equal(123.00m, data.Arr("payments").Single()!["amount"]!.GetValue<decimal>());
        Assert.Contains(data.Arr("auditEntries"), a => a.Str("action") == "party.created");
        Assert.Contains(data.Arr("auditEntries"), a => a.Str("action") == "contact.created" || a.Str("entityId") == party.Id().ToString());
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "gdpr.export" && a.EntityId == party.Id().ToString())));

        using var download = await admin.GetAsync($"/api/parties/{party.Id()}/personal-data?download=true");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType ?? download.Headers.GetValues("Content-Disposition").Single().Split(';')[0]);
    }

    [Fact]
    public async Task Erasure_anonymises_the_person_keeps_issued_invoices_and_says_so()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 2));
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var name = "Zofia Zapomniana " + Guid.NewGuid().ToString("N")[..6];
        var email = $"zofia.{Guid.NewGuid().ToString("N")[..6]}@example.pl";
        var party = await CreatePersonAsync(sales, name, email);
        var first = await sales.CreateAndIssueAsync(party.Id(), "100.00");
        var second = await sales.CreateAndIssueAsync(party.Id(), "200.00");
        await (await app.ClientAsync(Roles.Accountant)).PayAsync(party.Id(), "369.00"); // 123.00 + 246.00: nothing open
        var buyerBefore = (await sales.GetOkAsync($"/api/invoices/{first.Id()}"))["buyer"]!.ToJsonString();

        var result = await manager.PostOkAsync($"/api/parties/{party.Id()}/erase", new { reason = "Żądanie osoby z 2026-06-01" });

        var expectedName = "Erased person #" + party.Id().ToString("N")[..8].ToUpperInvariant();
        Assert.Equal(expectedName, result.Str("erasedName"));
        var kept = result.Arr("kept");
        var invoices = kept.Single(k => k.Str("what") == "issued invoices")!;
        Assert.Equal((2, "2031-12-31"), (invoices["count"]!.GetValue<int>(), invoices.Str("retainedUntil")));
        Assert.Contains("kept: 2 issued invoices (legal retention until 2031-12-31)", result.Str("statement"));
        Assert.Contains("1 payments (legal retention until 2031-12-31)", result.Str("statement"));

        var after = await sales.GetOkAsync($"/api/parties/{party.Id()}");
        Assert.Equal(expectedName, after.Str("name"));
        Assert.Null(after["email"]);
        Assert.Null(after["phone"]);
        Assert.Null(after["taxId"]);
        Assert.Null(after["address"]!["street"]);
        Assert.Null(after["address"]!["city"]);
        var contact = after.Arr("contacts").Single()!;
        Assert.Equal("Erased", contact.Str("firstName"));
        Assert.Null(contact["email"]);
        // The issued invoices are accounting records: the buyer printed on them stays as it was.
        Assert.Equal(buyerBefore, (await sales.GetOkAsync($"/api/invoices/{first.Id()}"))["buyer"]!.ToJsonString());
        Assert.Equal(name, (await sales.GetOkAsync($"/api/invoices/{second.Id()}"))["buyer"].Str("name"));
        // No longer findable by name or e-mail.
        Assert.Empty((await sales.GetOkAsync($"/api/parties?search={Uri.EscapeDataString(name)}")).AsArray());
        Assert.Empty((await sales.GetOkAsync($"/api/parties?search={Uri.EscapeDataString(email)}")).AsArray());

        var auditDetails = await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "gdpr.erase" && a.EntityId == party.Id().ToString()).Select(a => a.Details).SingleAsync());
        Assert.Contains("kept: 2 issued invoices (legal retention until 2031-12-31)", auditDetails);
        Assert.Contains("Żądanie osoby z 2026-06-01", JsonNode.Parse(auditDetails).Str("reason"));

        var (again, _, _) = await manager.SendAsync(HttpMethod.Post, $"/api/parties/{party.Id()}/erase", new { reason = "jeszcze raz" });
        Assert.Equal(HttpStatusCode.Conflict, again);
    }

    [Fact]
    public async Task The_crm_records_about_a_person_are_exported_and_erased_with_them()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var email = $"lead.{Guid.NewGuid().ToString("N")[..6]}@example.pl";
        // The person came in as a lead; the conversion made the party and an opportunity.
        var lead = await manager.PostCreatedAsync("/api/leads", new { firstName = "Lucjan", lastName = "Leadowski", email, phone = "+48 600 700 800", source = "Targi", notes = "Dzwonić po 17" });
        var converted = await manager.PostOkAsync($"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "Lucjan — meble", amount = new { amount = "900.00", currency = "PLN" }, expectedCloseDate = "2026-09-30" },
        });
        var partyId = Guid.Parse(converted.Str("partyId"));
        await manager.PostCreatedAsync("/api/activities", new { kind = "Call", subject = "Rozmowa z Lucjanem", body = "Ma dwoje dzieci, szuka łóżek", partyId });

        var export = await manager.GetOkAsync($"/api/parties/{partyId}/personal-data");
        Assert.Equal("Rozmowa z Lucjanem", export.Arr("activities").Single()!.Str("subject"));
        Assert.Equal(("Lucjan", email, "Dzwonić po 17"), (export.Arr("leads").Single()!.Str("firstName"), export.Arr("leads").Single()!.Str("email"), export.Arr("leads").Single()!.Str("notes")));
        Assert.Contains(export.Arr("documents"), d => d.Str("type") == "opportunity" && d.Str("number") == "Lucjan — meble");

        var result = await manager.PostOkAsync($"/api/parties/{partyId}/erase", new { reason = "Żądanie usunięcia" });
        Assert.Contains("activities", result.Arr("anonymisedFields").Select(f => (string)f!));

        var activities = await app.QueryAsync(db => db.Set<Kontor.Crm.Activities.Activity>().Where(a => a.PartyId == partyId).Select(a => new { a.Subject, a.Body }).ToListAsync());
        Assert.All(activities, a => Assert.Equal(("Erased", (string?)null), (a.Subject, a.Body)));
        var erasedLead = await app.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == lead.Id()));
        Assert.Equal(("Erased", (string?)null, (string?)null, (string?)null), (erasedLead.FirstName, erasedLead.LastName, erasedLead.Email, erasedLead.Notes));
        var found = (await manager.GetOkAsync($"/api/leads?search={Uri.EscapeDataString(email)}")).AsArray();
        Assert.DoesNotContain(found, l => l?["email"]?.GetValue<string>() == email);
        var opportunity = await app.QueryAsync(db => db.Opportunities.SingleAsync(o => o.PartyId == partyId));
        Assert.StartsWith("Opportunity of Erased person #", opportunity.Name);
    }

    [Fact]
    public async Task A_person_who_owes_money_is_not_erased()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 3));
        var sales = await app.ClientAsync(Roles.Sales);
        var admin = await app.ClientAsync(Roles.Admin);
        var name = "Dłużnik Prywatny " + Guid.NewGuid().ToString("N")[..6];
        var party = await CreatePersonAsync(sales, name, "dluznik@example.pl");
        await sales.CreateAndIssueAsync(party.Id(), "100.00");
        var auditBefore = await app.QueryAsync(db => db.AuditEntries.CountAsync());

        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/parties/{party.Id()}/erase", new { reason = "Żądanie" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("open receivables 123.00 PLN (1 item)", problem.Str("detail"));
        Assert.Equal(name, (await sales.GetOkAsync($"/api/parties/{party.Id()}")).Str("name"));
        Assert.Equal(auditBefore, await app.QueryAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Companies_are_not_personal_data_but_their_contacts_are()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var admin = await app.ClientAsync(Roles.Admin);
        var company = (await sales.CreatePartyAsync()).Id();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Get, $"/api/parties/{company}/personal-data")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, $"/api/parties/{company}/erase", new { reason = "x" })).Status);

        var contact = await sales.PostOkAsync($"/api/parties/{company}/contacts", new { firstName = "Piotr", lastName = "Kontaktowy", email = "piotr.k@firma.pl", phone = "+48 500 000 000" });
        var exported = await admin.GetOkAsync($"/api/contacts/{contact.Id()}/personal-data");
        Assert.Equal(("Piotr", "piotr.k@firma.pl"), (exported["contact"].Str("firstName"), exported["contact"].Str("email")));
        Assert.Contains(exported.Arr("auditEntries"), a => a.Str("action") == "contact.created");

        var (noReason, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/contacts/{contact.Id()}/erase", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.NotNull(problem!["errors"]!["reason"]);

        await admin.PostOkAsync($"/api/contacts/{contact.Id()}/erase", new { reason = "Odszedł z firmy" });
        var stored = (await sales.GetOkAsync($"/api/parties/{company}")).Arr("contacts").Single(c => c.Str("id") == contact.Str("id"))!;
        Assert.Equal("Erased", stored.Str("firstName"));
        Assert.Null(stored["email"]);
        Assert.Null(stored["phone"]);
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "gdpr.erase" && a.EntityId == contact.Id().ToString())));
    }

    [Fact]
    public async Task Sales_and_accountants_may_not_export_or_erase()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var party = await CreatePersonAsync(sales, "Osoba Chroniona", "chroniona@example.pl");
        foreach (var role in new[] { Roles.Sales, Roles.Accountant })
        {
            var client = await app.ClientAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"/api/parties/{party.Id()}/personal-data")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"/api/parties/{party.Id()}/erase", new { reason = "x" })).Status);
        }
    }
}

public sealed class SqlitePersonalDataTests(SqliteApp app) : PersonalDataTests<SqliteApp>(app);

public sealed class PostgresPersonalDataTests(PostgresApp app) : PersonalDataTests<PostgresApp>(app);
