using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Sdk;

namespace Kontor.Tests.Banking;

/// <summary>
/// Statement import through the API on each database: the shared samples, the synthetic Polish files, and the
/// refusals (duplicate 409, unbalanced, unknown account, wrong currency, bad file 400) that leave nothing written.
/// Company bank accounts are registered through the settings API, as an administrator would.
/// </summary>
public abstract class BankStatementImportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Pko = "PL60102010260000042270201111";
    private const string Pekao = "PL04124010371111001122334455";
    private const string Ing = "PL31105014451000002345678901";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> ImportAsync(HttpClient client, byte[] content, string fileName, bool multipart = true)
    {
        using HttpContent body = multipart ? new MultipartFormDataContent() : new ByteArrayContent(content);
        if (body is MultipartFormDataContent form)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
            form.Add(file, "file", fileName);
        }
        else body.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        var url = multipart ? "/api/bank-statements/import" : $"/api/bank-statements/import?fileName={Uri.EscapeDataString(fileName)}";
        using var response = await client.PostAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string FileProblem(JsonNode? problem) =>
        string.Join(" ", problem?["errors"]?["file"]?.AsArray().Select(m => m!.GetValue<string>()) ?? throw new XunitException($"no errors.file in {problem?.ToJsonString()}"));

    /// <summary>Registers the account unless it is there: by IBAN when the statement uses one, else under a made-up IBAN with the statement's id.</summary>
    private async Task EnsureAccountAsync(string identifier, string currency)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var accounts = (await admin.GetOkAsync("/api/settings/company/bank-accounts")).AsArray();
        if (accounts.Any(a => a!.Str("iban") == identifier || a!.Str("iban")[2..] == identifier || a!["statementAccountId"]?.GetValue<string>() == identifier)) return;
        var isIban = Kontor.Common.Iban.TryParse(identifier, out _, out _);
        await admin.PostCreatedAsync("/api/settings/company/bank-accounts", new
        {
            name = "Rachunek " + identifier, iban = isIban ? identifier : MadeUpIban(identifier), currency,
            statementAccountId = isIban ? null : identifier,
        });
    }

    /// <summary>A valid Polish IBAN derived from the text (ISO 13616 check digits computed here).</summary>
    private static string MadeUpIban(string seed)
    {
        var digits = string.Concat(BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))).ToString("D20").Take(20));
        var bban = "1090" + digits; // 24 digits
        var remainder = (int)(BigInteger.Parse(bban + "252100", CultureInfo.InvariantCulture) % 97); // "PL00" → P=25, L=21
        return $"PL{98 - remainder:00}{bban}";
    }

    private Task<(int Statements, int Lines, int Audits)> CountAsync() => app.QueryAsync(async db =>
        (await db.BankStatements.CountAsync(), await db.BankStatementLines.CountAsync(), await db.AuditEntries.CountAsync(a => a.Action == "bank-statement.imported")));

    private static decimal Money(JsonNode node, string property) => node.Amount(property);

    [Fact]
    public async Task Every_shared_sample_imports_or_is_refused_through_the_API_and_each_statement_adds_up()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var importable = BankSamples.Mt940.Where(s => s.Value is SampleOutcome.Imports).Select(s => s.Key).ToList();
        foreach (var sample in importable)
            foreach (var (account, currency) in BankSamples.Mt940Accounts(System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(BankSamples.Mt940Folder, sample)))))
                await EnsureAccountAsync(account, currency);
        await EnsureAccountAsync("NL26VAYB8060476890", "EUR");

        var files = BankSamples.Mt940.Select(s => (Path.Combine(BankSamples.Mt940Folder, s.Key), s.Key, (SampleOutcome?)s.Value))
            .Concat(BankSamples.CamtSampleFiles().Select(f => (Path.Combine(BankSamples.CamtFolder, "samples", f), f,
                (SampleOutcome?)(f == "camt053.v2.multi.statement.xml" ? new SampleOutcome.Imports(2, 2) : BankSamples.CamtRefusal(f) ?? new SampleOutcome.Rejected("")))));
        foreach (var (path, name, expected) in files)
        {
            var before = await CountAsync();
            var (status, body) = await ImportAsync(accountant, File.ReadAllBytes(path), Path.GetFileName(path));
            if (BankSamples.Mt940Repeats.TryGetValue(name, out var original))
            {
                // The same statements as an earlier sample: already imported.
                Assert.True(status == HttpStatusCode.Conflict, $"{name}: {(int)status} {body?.ToJsonString()}");
                Assert.Contains("already imported", body!.Str("detail"));
                Assert.Contains("from " + Path.GetFileName(original), body.Str("detail"));
                Assert.Equal(before, await CountAsync());
                continue;
            }
            switch (expected)
            {
                case SampleOutcome.Imports imports:
                    Assert.True(status == HttpStatusCode.OK, $"{name}: {(int)status} {body?.ToJsonString()}");
                    Assert.Equal((imports.Statements, imports.Lines), (body!["statementCount"]!.GetValue<int>(), body["lineCount"]!.GetValue<int>()));
                    foreach (var s in body.Arr("statements"))
                        Assert.Equal(Money(s!, "closingBalance"), Money(s!, "openingBalance") + Money(s!, "totalCredits") - Money(s!, "totalDebits"));
                    Assert.Equal((before.Statements + imports.Statements, before.Lines + imports.Lines, before.Audits + imports.Statements), await CountAsync());
                    break;
                case SampleOutcome.Rejected rejected:
                    Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body?.ToJsonString()}");
                    Assert.Contains(rejected.Reason, FileProblem(body));
                    Assert.Equal(before, await CountAsync());
                    break;
            }
        }
    }

    [Fact]
    public async Task Polish_statement_keeps_counterparty_title_NIP_split_payment_and_a_second_import_is_refused()
    {
        await EnsureAccountAsync(Pko, "PLN");
        var accountant = await app.ClientAsync(Roles.Accountant);
        var file = BankSamples.Synthetic("pko-bp-zbp-cp1250.sta");

        var (status, result) = await ImportAsync(accountant, file, "wyciag-pko-2026-03-03.sta");

        Assert.True(status == HttpStatusCode.OK, result?.ToJsonString());
        Assert.NotNull(result);
        Assert.Equal(("Mt940", "windows-1250", 1, 5), (result.Str("format"), result.Str("encoding"), result["statementCount"]!.GetValue<int>(), result["lineCount"]!.GetValue<int>()));
        var summary = result.Arr("statements")[0]!;
        Assert.Equal((12500.00m, 6765.50m, 1857.50m, 17408.00m),
            (Money(summary, "openingBalance"), Money(summary, "totalCredits"), Money(summary, "totalDebits"), Money(summary, "closingBalance")));
        Assert.Equal(Pko, summary.Str("bankAccountIban"));

        var detail = await accountant.GetOkAsync($"/api/bank-statements/{summary.Id()}");
        var statement = detail["statement"]!;
        Assert.Equal(("PKO260302000001", "00042/001", "2026-03-02", "2026-03-03", "wyciag-pko-2026-03-03.sta", KontorApp.UserByRole[Roles.Accountant]),
            (statement.Str("statementId"), statement.Str("statementNumber"), statement.Str("openingDate"), statement.Str("closingDate"), statement.Str("fileName"), statement.Str("importedBy")));
        var lines = detail.Arr("lines");
        Assert.Equal([1, 2, 3, 4, 5], lines.Select(l => l!["position"]!.GetValue<int>()));
        Assert.All(lines, l => Assert.Equal("Unmatched", l!.Str("status")));
        var first = lines[0]!;
        Assert.Equal(("Credit", "Zapłata za fakturę FV/2026/02/0015", "Zakład Usług Informatycznych „Żółć” Sp. z o.o.", "PL76105000861000009031234567", "5261040828"),
            (first.Str("direction"), first.Str("title"), first.Str("counterpartyName"), first.Str("counterpartyAccount"), first.Str("counterpartyNip")));
        Assert.Equal(1230.00m, Money(first, "amount"));
        Assert.Contains("~20Zapłata za fakturę FV/2026/", first.Str("rawDetails"));
        var mpp = lines[1]!;
        Assert.True(mpp["isSplitPayment"]!.GetValue<bool>());
        Assert.Equal((460.00m, "FV/2026/02/0016", "5840212304"), (Money(mpp, "splitPaymentVat"), mpp.Str("splitPaymentInvoice"), mpp.Str("splitPaymentTaxId")));
        Assert.Equal("Przedsiębiorstwo Handlowe Gęś-Źdźbło", lines[2]!.Str("counterpartyName"));
        Assert.Equal(("Debit", "5261040828"), (lines[3]!.Str("direction"), lines[3]!.Str("counterpartyNip")));

        var list = (await accountant.GetOkAsync("/api/bank-statements")).AsArray();
        Assert.Contains(list, s => s!.Id() == summary.Id());
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "bank-statement.imported" && a.EntityId == summary.Id().ToString()));
        Assert.Equal(KontorApp.UserByRole[Roles.Accountant], audit.UserName);

        // The same file again, even under another name: 409, nothing written.
        var before = await CountAsync();
        var (again, problem) = await ImportAsync(accountant, file, "kopia.sta");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("statement PKO260302000001 no. 00042/001 of account PL60102010260000042270201111", problem!.Str("detail"));
        Assert.Contains("already imported", problem.Str("detail"));
        Assert.Contains("from wyciag-pko-2026-03-03.sta", problem.Str("detail"));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Statement_that_does_not_add_up_is_refused_with_the_difference_and_nothing_is_written()
    {
        await EnsureAccountAsync(Pko, "PLN");
        var accountant = await app.ClientAsync(Roles.Accountant);
        var before = await CountAsync();

        var (status, problem) = await ImportAsync(accountant, BankSamples.Synthetic("pko-bp-unbalanced-cp1250.sta"), "zly.sta");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = FileProblem(problem);
        Assert.Contains("statement PKO260304000001 no. 00043/001", message);
        // 17 408.00 + 100.00 = 17 508.00, the file says 17 518.00.
        Assert.Contains("= 17508.00 PLN, but the closing balance is 17518.00 PLN (difference 10.00)", message);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Unknown_account_is_refused_listing_the_known_ones_and_a_currency_mismatch_is_refused()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var before = await CountAsync();
        var unknown = System.Text.Encoding.ASCII.GetBytes(":20:X1\r\n:25:/PL27114020040000300201355387\r\n:28C:1\r\n:60F:C260302PLN0,00\r\n:62F:C260302PLN0,00\r\n-\r\n");

        var (status, problem) = await ImportAsync(accountant, unknown, "obcy.sta");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = FileProblem(problem);
        Assert.Contains("The account PL27114020040000300201355387", message);
        Assert.Contains("is not one of the company's bank accounts", message);
        Assert.Contains("PL61109010140000071219812874 PLN", message); // the account every new database starts with

        var euro = System.Text.Encoding.ASCII.GetBytes(":20:X2\r\n:25:PL61109010140000071219812874\r\n:28C:1\r\n:60F:C260302EUR0,00\r\n:62F:C260302EUR0,00\r\n-\r\n");
        var (euroStatus, euroProblem) = await ImportAsync(accountant, euro, "euro.sta");
        Assert.Equal(HttpStatusCode.BadRequest, euroStatus);
        Assert.Contains("is in EUR, but the company account PL61109010140000071219812874 is kept in PLN", FileProblem(euroProblem));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Raw_body_imports_an_NRB_named_account_and_bad_files_are_400_not_500()
    {
        await EnsureAccountAsync(Ing, "PLN");
        var accountant = await app.ClientAsync(Roles.Accountant);

        var (status, result) = await ImportAsync(accountant, BankSamples.Synthetic("ing-zbp-utf8.sta"), "ing.sta", multipart: false);
        Assert.True(status == HttpStatusCode.OK, result?.ToJsonString());
        Assert.Equal((Ing, "ing.sta"), (result!.Arr("statements")[0]!.Str("bankAccountIban"), result.Str("fileName")));

        var before = await CountAsync();
        foreach (var (bytes, reason) in new (byte[], string)[]
                 {
                     ("hello"u8.ToArray(), "neither an MT940 statement"),
                     ([], "The file is empty."),
                     ("<html><body/></html>"u8.ToArray(), "not an ISO 20022 camt document"),
                     ("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>1</Id></Stmt></BkToCstmrStmt></Document>"u8.ToArray(), "<Acct> is missing"),
                 })
        {
            var (badStatus, problem) = await ImportAsync(accountant, bytes, "bad.txt", multipart: false);
            Assert.Equal(HttpStatusCode.BadRequest, badStatus);
            Assert.Contains(reason, FileProblem(problem));
        }
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Two_imports_of_the_same_file_at_once_store_it_once()
    {
        await EnsureAccountAsync(Pekao, "PLN");
        var file = BankSamples.Synthetic("pekao-zbp-caret-cp1250.sta");
        var clients = await Task.WhenAll(app.ClientAsync(Roles.Accountant), app.ClientAsync(Roles.Admin));
        var before = await CountAsync();

        var results = await Task.WhenAll(clients.Select(c => ImportAsync(c, file, "pekao.sta")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        Assert.Equal((before.Statements + 2, before.Lines + 3, before.Audits + 2), await CountAsync());
    }

    [Fact]
    public async Task Import_needs_PostToBooks_and_reading_needs_ReadBooks()
    {
        var file = BankSamples.Synthetic("santander-zbp-question-cp1250.sta");
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);

        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(sales, file, "s.sta")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(manager, file, "s.sta")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Get, "/api/bank-statements")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync(app.AnonymousClient(), file, "s.sta")).Status);

        var (status, result) = await ImportAsync(await app.ClientAsync(Roles.Admin), file, "s.sta");
        Assert.True(status == HttpStatusCode.OK, result?.ToJsonString());
        var id = result!.Arr("statements")[0]!.Id();
        var detail = await manager.GetOkAsync($"/api/bank-statements/{id}");
        Assert.Equal(-100.00m, Money(detail["statement"]!, "openingBalance"));
        Assert.Equal(HttpStatusCode.NotFound, (await manager.SendAsync(HttpMethod.Get, $"/api/bank-statements/{Guid.NewGuid()}")).Status);
    }
}

public sealed class SqliteBankStatementImportTests(SqliteApp app) : BankStatementImportTests<SqliteApp>(app);

public sealed class PostgresBankStatementImportTests(PostgresApp app) : BankStatementImportTests<PostgresApp>(app);
