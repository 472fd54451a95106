using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Merge;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Merging a duplicate party (docs/crm.md, "Duplicates, merge and import"): every account total and the trial balance
/// stay as they were, the survivor's balance is the sum of both, posted journal lines keep their party, everything else
/// points to the survivor; open items paid after the merge settle; refused merges write nothing.
/// </summary>
public abstract class PartyMergeTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>A company without a tax id (a duplicate typed in a hurry), so it may be merged into one that has it.</summary>
    private static Task<JsonNode> CreateWithoutTaxIdAsync(HttpClient client, string name, string kind = "Company") =>
        client.PostCreatedAsync("/api/parties", new
        {
            kind, name, taxIdKind = "None",
            address = new { street = "ul. Krótka 2", postalCode = "00-002", city = "Warszawa", countryCode = "PL" },
            email = "zakupy@" + Guid.NewGuid().ToString("N")[..6] + ".pl",
            contacts = new[] { new { firstName = "Anna", lastName = "Nowak", email = "anna@example.pl" } },
        });

    private Task<Dictionary<string, decimal>> AccountTotalsAsync() => app.QueryAsync(async db =>
        (await db.JournalLines.Select(l => new { l.AccountCode, l.Currency, l.Debit, l.Credit, l.BaseDebit, l.BaseCredit }).ToListAsync())
        .GroupBy(l => $"{l.AccountCode}/{l.Currency}").ToDictionary(g => g.Key, g => g.Sum(l => l.Debit - l.Credit) * 1_000_000 + g.Sum(l => l.BaseDebit - l.BaseCredit)));

    private Task<decimal> LedgerBalanceAsync(Guid partyId, string account = "201") => app.QueryAsync(async db =>
        (await db.JournalLines.Where(l => l.PartyId == partyId && l.AccountCode == account).Select(l => new { l.Debit, l.Credit }).ToListAsync()).Sum(l => l.Debit - l.Credit));

    /// <summary>Each trial balance row's account with its balance fields (not the turnovers).</summary>
    private static List<string> Balances(JsonNode trial, string rows) =>
        trial.Arr(rows).Select(r => r!["accountCode"] + " " + string.Join(" ", r.AsObject().Where(p => p.Key.StartsWith("balance", StringComparison.Ordinal)).Select(p => p.Key + "=" + p.Value!.ToJsonString()))).ToList();

    [Fact]
    public async Task Merge_keeps_every_balance_and_the_trial_balance_and_the_survivor_owes_the_sum()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 4));
        var manager = await app.ClientAsync(Roles.Manager);
        var survivor = (await manager.CreatePartyAsync("Acme Sp. z o.o.")).Id();
        var merged = (await CreateWithoutTaxIdAsync(manager, "ACME spółka z o.o.")).Id();
        await manager.CreateAndIssueAsync(survivor, "1000.00");           // 1230.00 gross
        var mergedInvoice = await manager.CreateAndIssueAsync(merged, "500.00"); // 615.00 gross
        await (await app.ClientAsync(Roles.Accountant)).PayAsync(merged, "100.00");                          // leaves 515.00
        var draftOfMerged = await manager.CreateDraftAsync(merged, "10.00");
        var mergedLinesBefore = await app.QueryAsync(db => db.JournalLines.Where(l => l.PartyId == merged).Select(l => l.Id).ToListAsync());
        var totalsBefore = await AccountTotalsAsync();
        var trialBefore = await manager.GetOkAsync("/api/ledger/trial-balance");

        var preview = await manager.GetOkAsync($"/api/parties/{survivor}/merge/preview?mergedPartyId={merged}");
        Assert.True(preview["canMerge"]!.GetValue<bool>(), preview.ToJsonString());
        Assert.Contains(preview.Arr("transfers"), t => t.Str("accountCode") == "201" && t.Str("amount") == "515.00");
        Assert.Contains(preview.Arr("moves"), m => m.Str("entity") == "Invoice" && m!["count"]!.GetValue<int>() == 2);

        var result = await manager.PostOkAsync($"/api/parties/{survivor}/merge", new { mergedPartyId = merged, reason = "Ten sam klient wpisany dwa razy" });
        Assert.Single(result.Arr("transferEntryIds"));

        // The books: every account and currency total unchanged, the trial balance identical.
        Assert.Equal(totalsBefore, await AccountTotalsAsync());
        var trialAfter = await manager.GetOkAsync("/api/ledger/trial-balance");
        // Turnovers grow by the transfer (debit and credit on the same account); every balance stays.
        Assert.Equal(Balances(trialBefore, "rows"), Balances(trialAfter, "rows"));
        Assert.Equal(Balances(trialBefore, "bookRows"), Balances(trialAfter, "bookRows"));
        Assert.True(trialAfter["balanced"]!.GetValue<bool>());
        // The survivor owes 1230.00 + 515.00; the merged party nothing.
        Assert.Equal(1745.00m, await LedgerBalanceAsync(survivor));
        Assert.Equal(0m, await LedgerBalanceAsync(merged));
        Assert.Equal(1745.00m, (await manager.GetOkAsync($"/api/parties/{survivor}/overview")).Amount("balance"));
        // Posted lines were not rewritten: the merged party's lines are all still its own, plus the transfer line.
        var mergedLinesAfter = await app.QueryAsync(db => db.JournalLines.Where(l => l.PartyId == merged).Select(l => l.Id).ToListAsync());
        Assert.Equal(mergedLinesBefore.Count + 1, mergedLinesAfter.Count);
        Assert.Empty(mergedLinesBefore.Except(mergedLinesAfter));

        // Everything else points to the survivor.
        Assert.Equal(survivor, Guid.Parse((await manager.GetOkAsync($"/api/invoices/{mergedInvoice.Id()}")).Str("partyId")));
        Assert.Equal(survivor, Guid.Parse((await manager.GetOkAsync($"/api/invoices/{draftOfMerged.Id()}")).Str("partyId")));
        Assert.Equal(0, await app.QueryAsync(db => db.OpenItems.CountAsync(o => o.PartyId == merged)));
        Assert.Equal(0, await app.QueryAsync(db => db.Payments.CountAsync(o => o.PartyId == merged)));
        Assert.Contains((await manager.GetOkAsync($"/api/parties/{survivor}")).Arr("contacts"), c => c.Str("lastName") == "Nowak");
        var after = await app.QueryAsync(async db =>
        {
            var references = PartyMerge.References(db.Model);
            var left = 0;
            // Table and column names come from the EF model and the id is written by its own type mapping (a parameter
            // would bind a Guid as a BLOB on SQLite, where EF stores TEXT): nothing here comes from input.
#pragma warning disable EF1002
            foreach (var r in references.Where(r => r.Entity != nameof(Party)))
                left += await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{r.Table}\" WHERE \"{r.Column}\" = {r.Mapping.GenerateSqlLiteral(merged)}").SingleAsync();
#pragma warning restore EF1002
            return left;
        });
        Assert.Equal(0, after);

        // The merged party stays, read-only and hidden from the list, pointing to the survivor.
        var mergedDto = await manager.GetOkAsync($"/api/parties/{merged}");
        Assert.Equal(("Merged", survivor.ToString()), (mergedDto.Str("status"), mergedDto.Str("mergedIntoPartyId")));
        Assert.DoesNotContain((await manager.GetOkAsync("/api/parties?search=acme")).AsArray(), x => x.Str("id") == merged.ToString());
        var (status, _, _) = await manager.SendAsync(HttpMethod.Put, $"/api/parties/{merged}/document-language", new { documentLanguage = "en" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        // Nothing new is attached to the merged party: no document, no contact.
        var (newInvoice, problem, _) = await manager.SendAsync(HttpMethod.Post, "/api/invoices", new
        {
            partyId = merged, currency = "PLN", pricingMode = "Net", lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        Assert.True(newInvoice == HttpStatusCode.Conflict, $"{newInvoice} {problem?.ToJsonString()}");
        Assert.Equal(HttpStatusCode.Conflict, (await manager.SendAsync(HttpMethod.Post, $"/api/parties/{merged}/contacts", new { firstName = "Jan", lastName = "Nowy" })).Status);
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == PartyMerge.AuditAction && a.EntityId == survivor.ToString()).Select(a => a.Details).SingleAsync());
        Assert.Contains("\"Invoice.PartyId\":2", audit);
        Assert.Contains("Ten sam klient", audit);
    }

    [Fact]
    public async Task Open_items_of_the_merged_party_are_paid_through_the_survivor()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 5));
        var manager = await app.ClientAsync(Roles.Manager);
        var survivor = (await manager.CreatePartyAsync()).Id();
        var merged = (await CreateWithoutTaxIdAsync(manager, "Duplikat")).Id();
        await manager.CreateAndIssueAsync(merged, "200.00");   // 246.00
        await manager.CreateAndIssueAsync(survivor, "100.00"); // 123.00
        await manager.PostOkAsync($"/api/parties/{survivor}/merge", new { mergedPartyId = merged, reason = "duplikat" });

        await (await app.ClientAsync(Roles.Accountant)).PayAsync(survivor, "369.00");

        Assert.Equal(0m, await LedgerBalanceAsync(survivor));
        Assert.Equal(0m, await LedgerBalanceAsync(merged));
        var open = await app.QueryAsync(db => db.OpenItems.Where(o => o.PartyId == survivor).Select(o => o.OpenAmount).ToListAsync());
        Assert.Equal(2, open.Count);
        Assert.All(open, amount => Assert.Equal(0m, amount));
    }

    [Fact]
    public async Task Crm_records_follow_the_survivor_and_a_tag_both_carry_is_kept_once()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var survivor = (await manager.CreatePartyAsync()).Id();
        var merged = (await CreateWithoutTaxIdAsync(manager, "Duplikat CRM")).Id();
        foreach (var (party, tag) in new[] { (survivor, "vip"), (merged, "vip"), (merged, "hurt") })
            await manager.ExpectAsync(HttpMethod.Post, $"/api/parties/{party}/tags/{tag}", null, HttpStatusCode.OK);
        await manager.PostCreatedAsync("/api/activities", new { kind = "Note", subject = "Notatka o duplikacie", partyId = merged });
        var opportunity = await manager.PostCreatedAsync("/api/opportunities", new
        {
            name = "Szansa duplikatu", partyId = merged, amount = new { amount = "500.00", currency = "PLN" }, expectedCloseDate = "2026-12-31",
        });

        await manager.PostOkAsync($"/api/parties/{survivor}/merge", new { mergedPartyId = merged, reason = "duplikat" });

        var labels = await manager.GetOkAsync($"/api/parties/{survivor}/labels");
        Assert.Equal(["hurt", "vip"], labels.Arr("tags").Select(t => (string)t!).Order().ToArray());
        Assert.Equal(survivor, (await manager.GetOkAsync($"/api/opportunities/{opportunity.Id()}")).Str("partyId") is var p ? Guid.Parse(p) : Guid.Empty);
        var timeline = (await manager.GetOkAsync($"/api/parties/{survivor}/timeline?kinds=Note,Opportunity")).Arr("entries");
        Assert.Contains(timeline, e => e.Str("title") == "Notatka o duplikacie");
        Assert.Contains(timeline, e => e.Str("title") == "Szansa duplikatu");
        Assert.Equal(1, (int)(await manager.GetOkAsync($"/api/parties/{survivor}/card"))["openOpportunities"]!);
    }

    [Fact]
    public async Task A_payable_balance_moves_too()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 6));
        var manager = await app.ClientAsync(Roles.Manager);
        var survivor = (await manager.CreatePartyAsync()).Id();
        var merged = (await CreateWithoutTaxIdAsync(manager, "Dostawca bis")).Id();
        // A payable of the merged party, posted straight through the journal (as a booked purchase invoice would: Cr 202).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var journal = scope.ServiceProvider.GetRequiredService<Kontor.Ledger.Journal>();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteAsync(ct => journal.PostAsync(new DateOnly(2026, 5, 6), "Zakup", "test", Guid.NewGuid(), null,
                Kontor.Common.Currency.Parse("PLN"), [new("402", 300m, 0m), new("202", 0m, 300m, merged)], ct));
        }
        await manager.PostOkAsync($"/api/parties/{survivor}/merge", new { mergedPartyId = merged, reason = "duplikat dostawcy" });
        Assert.Equal(-300m, await LedgerBalanceAsync(survivor, "202"));
        Assert.Equal(0m, await LedgerBalanceAsync(merged, "202"));
    }

    [Fact]
    public async Task Refused_merges_write_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 7));
        var manager = await app.ClientAsync(Roles.Manager);
        var a = (await manager.CreatePartyAsync()).Id();
        var b = (await manager.CreatePartyAsync()).Id();                         // another NIP
        var person = (await CreateWithoutTaxIdAsync(manager, "Jan Kowalski", "Person")).Id();
        var c = (await CreateWithoutTaxIdAsync(manager, "Firma C")).Id();
        var d = (await CreateWithoutTaxIdAsync(manager, "Firma D")).Id();
        await manager.CreateAndIssueAsync(b, "100.00");
        await manager.PostOkAsync($"/api/parties/{c}/merge", new { mergedPartyId = d, reason = "duplikat" });
        var sales = await app.ClientAsync(Roles.Sales);
        var entries = await app.QueryAsync(db => db.JournalEntries.CountAsync());
        var audit = await app.QueryAsync(db => db.AuditEntries.CountAsync());

        foreach (var (survivor, merged, says) in new[]
                 {
                     (a, b, "tax ids differ"), (a, person, "is a company"), (a, a, "into itself"), (a, d, "already merged"), (d, a, "merged into another"),
                 })
        {
            var (status, problem, _) = await manager.SendAsync(HttpMethod.Post, $"/api/parties/{survivor}/merge", new { mergedPartyId = merged, reason = "próba" });
            Assert.True(status == HttpStatusCode.Conflict, $"{says}: {status} {problem?.ToJsonString()}");
            Assert.Contains(says, problem.Str("detail"));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Post, $"/api/parties/{a}/merge", new { mergedPartyId = c, reason = "próba" })).Status);
        var (missingReason, body, _) = await manager.SendAsync(HttpMethod.Post, $"/api/parties/{a}/merge", new { mergedPartyId = c });
        Assert.Equal(HttpStatusCode.BadRequest, missingReason);
        Assert.NotNull(body!["errors"]!["reason"]);

        Assert.Equal(entries, await app.QueryAsync(db => db.JournalEntries.CountAsync()));
        Assert.Equal(audit, await app.QueryAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == b)));
        Assert.Equal(1, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Status == PartyStatus.Merged && (p.Id == a || p.Id == b || p.Id == c || p.Id == d || p.Id == person))));
    }

    /// <summary>A refusal is said in the reader's language, each reason in its own words (docs/localisation.md).</summary>
    [Fact]
    public async Task A_refused_merge_is_said_in_polish_and_in_russian()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var company = (await CreateWithoutTaxIdAsync(manager, "Firma Lipa")).Id();
        var person = (await CreateWithoutTaxIdAsync(manager, "Jan Lis", "Person")).Id();
        await using var scope = app.Services.CreateAsyncScope();
        var merge = scope.ServiceProvider.GetRequiredService<PartyMerge>();
        using (UiLanguage.Use("pl"))
        {
            var polish = await Assert.ThrowsAsync<ConflictException>(() => merge.MergeAsync(company, person, "duplikat"));
            Assert.Equal("Nie można scalić kontrahentów: Firma Lipa jest firmą, a Jan Lis osobą fizyczną.", polish.Message);
            CultureInfo.CurrentUICulture = new CultureInfo("ru");
            var russian = await Assert.ThrowsAsync<ConflictException>(() => merge.MergeAsync(person, company, "дубликат"));
            Assert.Equal("Контрагентов нельзя объединить: Jan Lis — физическое лицо, а Firma Lipa — организация.", russian.Message);
        }
    }

    /// <summary>
    /// Every column that refers to a party — by name (…PartyId, SupplierId, …CustomerId) or by a foreign key to Party — is
    /// one the merge re-points, except the journal's (moved by transfer entries). A table added later without following
    /// the naming contract fails here instead of keeping pointing at a merged party.
    /// </summary>
    [Fact]
    public async Task Every_party_reference_in_the_model_is_moved_by_the_merge()
    {
        var (referring, moved) = await app.QueryAsync(db =>
        {
            var referring = new HashSet<string>();
            foreach (var entity in db.Model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties())
                {
                    if (entity.IsOwned() && property.IsPrimaryKey()) continue; // the owner's own key (Address of a Party)
                    var byName = property.Name.EndsWith("PartyId", StringComparison.Ordinal) || property.Name.EndsWith("SupplierId", StringComparison.Ordinal)
                                 || property.Name.EndsWith("CustomerId", StringComparison.Ordinal);
                    var byForeignKey = property.GetContainingForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(Party));
                    if (byName || byForeignKey) referring.Add($"{entity.ClrType.Name}.{property.Name}");
                }
            }
            var moved = PartyMerge.References(db.Model).Select(r => $"{r.Entity}.{r.Property}").ToHashSet();
            return Task.FromResult((referring, moved));
        });
        referring.Remove("JournalLine.PartyId");
        Assert.Contains("PurchaseInvoice.SupplierId", moved);
        Assert.Contains("Contact.PartyId", moved);
        Assert.Contains("OpenItem.PartyId", moved);
        Assert.DoesNotContain("JournalLine.PartyId", moved);
        var forgotten = referring.Except(moved).ToList();
        Assert.True(forgotten.Count == 0, "The merge would not move: " + string.Join(", ", forgotten) + ". Name the column …PartyId (docs/crm.md).");
    }
}

public sealed class SqlitePartyMergeTests(SqliteApp app) : PartyMergeTests<SqliteApp>(app);

public sealed class PostgresPartyMergeTests(PostgresApp app) : PartyMergeTests<PostgresApp>(app);
