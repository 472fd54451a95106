using System.Globalization;
using System.Net;
using Kontor.Common;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>Who may do what, and who did what.</summary>
public abstract class SecurityTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Theory]
    [InlineData(Roles.Sales, "GET", "/api/ledger/entries", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Sales, "GET", "/api/ledger/trial-balance", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Sales, "POST", "/api/payments", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Sales, "GET", "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Sales, "GET", "/api/parties/{party}/overview", HttpStatusCode.OK)]
    [InlineData(Roles.Sales, "GET", "/api/parties", HttpStatusCode.OK)]
    [InlineData(Roles.Accountant, "GET", "/api/ledger/entries", HttpStatusCode.OK)]
    [InlineData(Roles.Accountant, "GET", "/api/ledger/trial-balance", HttpStatusCode.OK)]
    [InlineData(Roles.Accountant, "POST", "/api/payments", HttpStatusCode.Created)]
    [InlineData(Roles.Accountant, "GET", "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Manager, "GET", "/api/ledger/entries", HttpStatusCode.OK)]
    [InlineData(Roles.Manager, "GET", "/api/ledger/trial-balance", HttpStatusCode.OK)]
    [InlineData(Roles.Manager, "POST", "/api/payments", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Manager, "GET", "/api/parties/{party}/overview", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "GET", "/api/audit", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "GET", "/api/ledger/trial-balance", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "POST", "/api/payments", HttpStatusCode.Created)]
    [InlineData(null, "GET", "/api/parties", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/api/ledger/trial-balance", HttpStatusCode.Unauthorized)]
    [InlineData(null, "POST", "/api/payments", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/health", HttpStatusCode.OK)]
    public async Task Role_matrix(string? role, string method, string path, HttpStatusCode expected)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await admin.CreatePartyAsync()).Id();
        var client = role is null ? app.AnonymousClient() : await app.ClientAsync(role);
        // A valid body, so a refusal can only come from the role.
        var body = method == "POST" ? new { partyId, amount = new { amount = "10.00", currency = "PLN" } } : null;

        var (status, _, _) = await client.SendAsync(new HttpMethod(method), path.Replace("{party}", partyId.ToString()), body);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Wrong_password_gets_no_token()
    {
        var (status, body, _) = await app.AnonymousClient().SendAsync(HttpMethod.Post, "/api/auth/token",
            new { email = KontorApp.UserByRole[Roles.Sales], password = "not-the-password" });
        var (unknownStatus, _, _) = await app.AnonymousClient().SendAsync(HttpMethod.Post, "/api/auth/token",
            new { email = "nobody@kontor.test", password = KontorApp.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Null(body?["accessToken"]);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownStatus);
    }

    [Fact]
    public async Task A_new_users_short_password_and_taken_email_are_refused_in_the_readers_language()
    {
        async Task<IReadOnlyDictionary<string, string[]>> Refusal(string language, string email, string password)
        {
            using (UiLanguage.Use(language))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
                return (await Assert.ThrowsAsync<ValidationException>(() => accounts.CreateAsync(email, password, "Nowy", Roles.Sales))).Errors;
            }
        }
        var taken = KontorApp.UserByRole[Roles.Sales];

        Assert.Equal(["Hasło musi mieć co najmniej 10 znaków."], (await Refusal("pl", "nowy@kontor.test", "krotkie"))["password"]);
        Assert.Equal(["Пароль должен содержать не менее 10 символов."], (await Refusal("ru", "nowy@kontor.test", "krotkie"))["password"]);
        Assert.Equal(["Passwords must be at least 10 characters."], (await Refusal("en", "nowy@kontor.test", "krotkie"))["password"]);
        Assert.Equal([$"Nazwa użytkownika '{taken}' jest już zajęta.", $"Adres e-mail '{taken}' jest już zajęty."], (await Refusal("pl", taken, KontorApp.Password))["email"]);
        Assert.Equal([$"Имя пользователя '{taken}' уже занято.", $"Адрес электронной почты '{taken}' уже занят."], (await Refusal("ru", taken, KontorApp.Password))["email"]);
        Assert.Equal([$"Username '{taken}' is already taken.", $"Email '{taken}' is already taken."], (await Refusal("en", taken, KontorApp.Password))["email"]);
    }

    [Fact]
    public async Task Creating_a_party_issuing_and_paying_leave_audit_entries_with_the_users_email()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoiceId = (await sales.CreateAndIssueAsync(partyId, "10.00")).Id();
        var paymentId = (await accountant.PayAsync(partyId, "12.30")).Id();

        async Task<(string Action, string User)[]> AuditOf(string type, Guid id) =>
            (await admin.GetOkAsync($"/api/audit?entityType={type}&entityId={id}")).AsArray()
            .Select(a => (a!.Str("action"), a.Str("userName"))).ToArray();

        Assert.Contains(("party.created", KontorApp.UserByRole[Roles.Sales]), await AuditOf("Party", partyId));
        var invoiceAudit = await AuditOf("Invoice", invoiceId);
        Assert.Contains(("invoice.draft-created", KontorApp.UserByRole[Roles.Sales]), invoiceAudit);
        Assert.Contains(("invoice.issued", KontorApp.UserByRole[Roles.Sales]), invoiceAudit);
        Assert.Equal([("payment.registered", KontorApp.UserByRole[Roles.Accountant])], await AuditOf("Payment", paymentId));
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={paymentId}")).AsArray())!;
        Assert.Equal(KontorApp.UserByRole[Roles.Accountant], entry.Str("postedBy"));
        Assert.Equal([("journal.posted", KontorApp.UserByRole[Roles.Accountant])], await AuditOf("JournalEntry", entry.Id()));
        var invoiceEntry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoiceId}")).AsArray())!;
        Assert.Equal([("journal.posted", KontorApp.UserByRole[Roles.Sales])], await AuditOf("JournalEntry", invoiceEntry.Id()));
    }
}

public sealed class SqliteSecurityTests(SqliteApp app) : SecurityTests<SqliteApp>(app);

public sealed class PostgresSecurityTests(PostgresApp app) : SecurityTests<PostgresApp>(app);
