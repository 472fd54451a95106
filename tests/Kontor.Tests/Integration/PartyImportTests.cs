using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Duplicates on create, CSV export and the two-step CSV import of parties (docs/crm.md, "Duplicates, merge and import"):
/// bad rows reported by row, field and message with nothing of them written, good rows imported; Windows-1250 files;
/// duplicates within the file and against existing parties.
/// </summary>
public abstract class PartyImportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Header = "Kind;Name;TaxIdKind;TaxId;Street;PostalCode;City;CountryCode;Email;Phone;PaymentTermDays;CreditLimit;CreditLimitCurrency;ContactFirstName;ContactLastName";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostFileAsync(HttpClient client, string url, byte[] file, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "kontrahenci.csv");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        using var response = await client.PostAsync(url, form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Same_tax_id_on_create_is_refused_with_the_existing_party_unless_confirmed_and_other_resemblances_are_warnings()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var existing = await sales.CreatePartyAsync(Unique("Kwiaciarnia"));
        var nip = existing.Str("taxId");
        var body = new
        {
            kind = "Company", name = "Inna nazwa", taxIdKind = "EuVat", taxId = "PL" + nip,
            address = new { city = "Gdańsk", countryCode = "PL" },
        };
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/parties", body);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("duplicate-party", problem.Str("code"));
        var candidate = Assert.Single(problem.Arr("candidates"));
        Assert.Equal(existing.Str("id"), candidate.Str("partyId"));
        Assert.Equal("TaxId", candidate.Arr("reasons")[0]!.GetValue<string>());
        Assert.Equal(0, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Name == "Inna nazwa")));

        var branch = await sales.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = "Inna nazwa", taxIdKind = "Nip", taxId = nip, address = new { city = "Gdańsk", countryCode = "PL" }, confirmDuplicate = true,
        });
        Assert.Contains(branch.Arr("possibleDuplicates"), c => c.Str("partyId") == existing.Str("id"));

        // Same e-mail (another case): created, with a warning naming the existing party.
        var sameEmail = await sales.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = Unique("Całkiem inna"), taxIdKind = "None", email = "BIURO@odbiorca.pl", address = new { city = "Opole", countryCode = "PL" },
        });
        Assert.Contains(sameEmail.Arr("possibleDuplicates"), c => c.Str("partyId") == existing.Str("id") && c.Arr("reasons").Any(r => r!.GetValue<string>() == "Email"));

        var check = await sales.PostOkAsync("/api/parties/duplicates", new { kind = "Company", name = existing.Str("name").ToUpperInvariant() + " SP. Z O.O.", taxIdKind = "None", address = new { city = "WARSZAWA" } });
        Assert.Contains(check.AsArray(), c => c.Str("partyId") == existing.Str("id") && c.Arr("reasons").Any(r => r!.GetValue<string>() == "NameAndCity"));
    }

    [Fact]
    public async Task Import_writes_the_good_rows_and_reports_the_bad_ones_by_row_and_field()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var good1 = Unique("Hurtownia Zielona");
        var good2 = Unique("Sklep Niebieski");
        var good3 = Unique("Biuro Rachunkowe");
        var csv = string.Join("\r\n",
            Header,
            $"Company;{good1};Nip;{Builders.UniqueNip()};ul. Polna 1;00-950;Warszawa;PL;biuro@zielona.pl;+48 601 000 001;21;15000,00;PLN;Jan;Zielony",
            $"Company;;Nip;{Builders.UniqueNip()};;;;PL;;;;;;;",                              // row 3: no name
            $"Company;Zły NIP;Nip;1234567890;;;Kraków;PL;;;;;;;",                             // row 4: bad checksum
            $"\"{good2}\";Company;;;;;;;;;;;;;".Replace($"\"{good2}\";Company", $"Company;\"{good2}, oddział\""), // row 5: quoted name with the separator-free comma
            $"Company;Zły e-mail;;;;;Kraków;PL;nie-email;;;;;;",                              // row 6
            $"Person;{good3};;;;;Łódź;PL;;;7;;;;",
            $"Company;Zły termin;;;;;Kraków;PL;;;dużo;;;;");                                   // row 8
        var file = Encoding.UTF8.GetBytes(csv);
        var partiesBefore = await app.QueryAsync(db => db.Parties.CountAsync());

        var (previewStatus, preview) = await PostFileAsync(admin, "/api/parties/import/preview", file);
        Assert.Equal(HttpStatusCode.OK, previewStatus);
        Assert.Equal((7, 3, 4), (preview!["totalRows"]!.GetValue<int>(), preview["validRows"]!.GetValue<int>(), preview["errorRows"]!.GetValue<int>()));
        Assert.Equal(partiesBefore, await app.QueryAsync(db => db.Parties.CountAsync()));

        var (status, report) = await PostFileAsync(admin, "/api/parties/import", file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, report!["imported"]!.GetValue<int>());
        var errors = report.Arr("rows").Where(r => r.Str("status") == "Error")
            .Select(r => $"{r!["row"]!.GetValue<int>()}:{string.Join(",", r.Arr("errors").Select(e => e.Str("field")))}").ToList();
        Assert.Equal(["3:name", "4:taxId", "6:email", "8:paymentTermDays"], errors);
        Assert.Equal(partiesBefore + 3, await app.QueryAsync(db => db.Parties.CountAsync()));
        Assert.Equal(0, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Name.StartsWith("Zły"))));
        var imported = await app.QueryAsync(db => db.Parties.Include(p => p.Contacts).SingleAsync(p => p.Name == good1));
        Assert.Equal((21, 15000.00m, "PLN", "Warszawa", "00-950"), (imported.PaymentTermDays, imported.CreditLimit!.Value, imported.CreditLimitCurrency, imported.Address.City, imported.Address.PostalCode));
        Assert.Equal("Zielony", Assert.Single(imported.Contacts).LastName);
        Assert.Equal(1, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Name == good2 + ", oddział")));
    }

    [Fact]
    public async Task Segment_and_tags_are_imported_by_name_and_exported_back()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var segment = Unique("Hurt");
        await admin.PostCreatedAsync("/api/segments", new { name = segment });
        var good = Unique("Segmentowana");
        var bad = Unique("Zły segment");
        var csv = $"Name;City;Segment;Tags\r\n{good};Kraków;{segment.ToUpperInvariant()};VIP, Key Account|vip\r\n{bad};Kraków;Nie ma takiego;ok\r\n";
        var (status, report) = await PostFileAsync(admin, "/api/parties/import", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 1), (report!["imported"]!.GetValue<int>(), report["errorRows"]!.GetValue<int>()));
        var error = report.Arr("rows").Single(r => r.Str("status") == "Error")!;
        Assert.Equal((3, "Segment"), (error["row"]!.GetValue<int>(), error.Arr("errors")[0].Str("field")));
        Assert.False(await app.QueryAsync(db => db.Parties.AnyAsync(p => p.Name == bad)));

        var party = await app.QueryAsync(db => db.Parties.SingleAsync(p => p.Name == good));
        var labels = await admin.GetOkAsync($"/api/parties/{party.Id}/labels");
        Assert.Equal(segment, labels.Str("segment"));
        Assert.Equal(["key-account", "vip"], labels.Arr("tags").Select(t => (string)t!).Order().ToArray());

        var export = Encoding.UTF8.GetString((await admin.GetByteArrayAsync("/api/parties/export.csv"))[3..]);
        Assert.EndsWith(";Segment;Tags", export.Split("\r\n")[0]);
        Assert.Contains(export.Split("\r\n"), line => line.Contains(good) && line.EndsWith($";{segment};key-account, vip"));
    }

    [Fact]
    public async Task Windows_1250_with_commas_is_read()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var name = Unique("Zakład Usług Żółć");
        var csv = $"Name,City,Street\r\n\"{name}\",Łódź,\"ul. Świętokrzyska 5, lok. 2\"\r\n";
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1250).GetBytes(csv);
        var (status, report) = await PostFileAsync(admin, "/api/parties/import", file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, report!["imported"]!.GetValue<int>());
        var party = await app.QueryAsync(db => db.Parties.SingleAsync(p => p.Name == name));
        Assert.Equal(("Łódź", "ul. Świętokrzyska 5, lok. 2"), (party.Address.City, party.Address.Street));
    }

    [Fact]
    public async Task Duplicates_within_the_file_and_against_existing_parties_are_found()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var existing = await admin.CreatePartyAsync(Unique("Piekarnia Złota"));
        var nip = Builders.UniqueNip();
        var twin = Unique("Tartak");
        var csv = string.Join("\n",
            "Name;TaxIdKind;TaxId;City;Email",
            $"Kopia istniejącej;Nip;{existing.Str("taxId")};Opole;",             // row 2: tax id of an existing party → rejected
            $"{existing.Str("name")} Sp. z o.o.;;;Warszawa;",                    // row 3: similar name, same city → possible duplicate
            $"{twin} S.A.;Nip;{nip};Tczew;tartak@example.pl",                     // row 4: new
            $"{twin};Nip;{nip};Tczew;",                                           // row 5: same NIP as row 4 → rejected
            $"Inny;;;Tczew;TARTAK@example.pl");                                   // row 6: e-mail of row 4 → possible duplicate
        var file = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(csv)).ToArray();

        var (_, preview) = await PostFileAsync(admin, "/api/parties/import/preview", file);
        var rows = preview!.Arr("rows").ToDictionary(r => r!["row"]!.GetValue<int>(), r => r!);
        Assert.Equal("Error", rows[2].Str("status"));
        Assert.Equal("taxId", rows[2].Arr("errors")[0].Str("field"));
        Assert.Equal("PossibleDuplicate", rows[3].Str("status"));
        Assert.Equal(existing.Str("id"), rows[3].Arr("duplicates")[0].Str("partyId"));
        Assert.False(rows.ContainsKey(4));
        Assert.Equal("Error", rows[5].Str("status"));
        Assert.Equal("PossibleDuplicate", rows[6].Str("status"));

        var (_, report) = await PostFileAsync(admin, "/api/parties/import", file, ("skipDuplicates", "true"));
        Assert.Equal((1, 2), (report!["imported"]!.GetValue<int>(), report["skipped"]!.GetValue<int>()));
        Assert.Equal(1, await app.QueryAsync(db => db.Parties.CountAsync(p => p.TaxId == nip)));
        Assert.Equal(0, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Name == "Inny")));
    }

    [Fact]
    public async Task A_background_import_reports_progress_and_its_result()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var prefix = Unique("Tło");
        var csv = "Name;City\n" + string.Join("\n", Enumerable.Range(1, 30).Select(i => $"{prefix} {i:D3};Miasto{i}")) + "\n;Brak nazwy\n";
        var (status, job) = await PostFileAsync(admin, "/api/parties/import", Encoding.UTF8.GetBytes(csv), ("background", "true"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonNode state = job!;
        for (var i = 0; i < 100 && state.Str("status") == "Running"; i++)
        {
            await Task.Delay(100);
            state = await admin.GetOkAsync($"/api/parties/import/jobs/{job!.Str("id")}");
        }
        Assert.Equal("Completed", state.Str("status"));
        Assert.Equal((31, 31), (state["processed"]!.GetValue<int>(), state["total"]!.GetValue<int>()));
        Assert.Equal(30, state["report"]!["imported"]!.GetValue<int>());
        Assert.Equal(32, Assert.Single(state["report"]!.Arr("rows"))!["row"]!.GetValue<int>());
    }

    [Fact]
    public async Task Export_is_utf8_with_bom_semicolons_and_quotes_where_needed()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var name = Unique("Firma; \"Cudzysłów\"");
        var created = await admin.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name, taxIdKind = "None", address = new { city = "Kraków", countryCode = "PL" }, phone = "+48 601 234 567",
            creditLimit = new { amount = "1234.50", currency = "PLN" },
            contacts = new[] { new { firstName = "Ewa", lastName = "Łęcka", email = "ewa@example.pl" } },
        });
        using var response = await admin.GetAsync("/api/parties/export.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Id;Kind;Name;TaxIdKind;TaxId;Kpp;Street;PostalCode;City;CountryCode;Email;Phone;PaymentTermDays;CreditLimit;CreditLimitCurrency;Segment;Tags\r\n", text);
        var escaped = "\"" + name.Replace("\"", "\"\"") + "\"";
        var line = text.Split("\r\n").Single(l => l.StartsWith(created.Str("id"), StringComparison.Ordinal));
        // The phone number is marked as text: Excel would compute a "+48…" cell (the import takes the mark off again).
        Assert.Equal($"{created.Str("id")};Company;{escaped};;;;;;Kraków;PL;;'+48 601 234 567;14;1234,50;PLN;;", line);

        var contacts = Encoding.UTF8.GetString((await admin.GetByteArrayAsync("/api/parties/contacts/export.csv"))[3..]);
        Assert.Contains($"{created.Str("id")};{escaped};;Ewa;Łęcka;;ewa@example.pl;\r\n", contacts);
    }
}

public sealed class SqlitePartyImportTests(SqliteApp app) : PartyImportTests<SqliteApp>(app);

public sealed class PostgresPartyImportTests(PostgresApp app) : PartyImportTests<PostgresApp>(app);
