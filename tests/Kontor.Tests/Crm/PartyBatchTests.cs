using System.Diagnostics;
using Kontor.Catalog.Pricing;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Duplicates;
using Kontor.Persistence;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kontor.Tests.Crm;

/// <summary>
/// PartyService.CreateManyCheckedAsync (docs/crm.md, "Creating many parties at once"): N parties in one call write
/// what N CreateCheckedAsync calls write — parties, keys, contacts, audit records with their possible duplicates — a later
/// party sees the earlier ones of the call as saved, one refusal writes nothing and names the item, and the reads do not
/// grow with N.
/// </summary>
public abstract class PartyBatchTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp> where TApp : KontorApp
{
    private static CreateParty Company(string name, string city, string? nip = null, string? email = null, string? phone = null,
        string? priceGroup = null, int? term = null, IReadOnlyList<ContactInput>? contacts = null) =>
        new(PartyKind.Company, name, nip is null ? TaxIdKind.None : TaxIdKind.Nip, nip, new AddressInput("Prosta 1", "00-001", city, "PL"),
            email, phone, term, null, null, priceGroup, contacts);

    private static CreateParty Person(string name, string city, string? phone = null) =>
        new(PartyKind.Person, name, TaxIdKind.None, null, new AddressInput(null, null, city, "PL"), null, phone, null, null, null, null, null);

    /// <summary>
    /// The table: each new party and the possible duplicates it must report (by hand: name → reasons), against two
    /// seeded parties and the earlier parties of the same call.
    /// </summary>
    private static readonly (CreateParty Command, string[] Expected)[] Cases =
    [
        // Same normalised name ("hurtownia kowalski") in the same city as the seeded wholesaler.
        (Company("Kowalski Hurtownia", "Warszawa"), ["Hurtownia Kowalski Sp. z o.o.:NameAndCity"]),
        // The seeded wholesaler's NIP written with dashes (a branch: confirmed).
        (Company("Centrala Kowalski", "Łódź", nip: "526-025-02-74"), ["Hurtownia Kowalski Sp. z o.o.:TaxId"]),
        (Company("Alfa Trade", "Gdańsk", email: "alfa@trade.pl"), []),
        // The previous party of the call, by e-mail in another case and the same name without the legal form.
        (Company("Alfa Trade Sp. z o.o.", "Gdańsk", email: "ALFA@Trade.pl"), ["Alfa Trade:Email,NameAndCity"]),
        // The seeded person's phone with the +48 prefix written as 0048.
        (Person("Piotr Zieliński", "Poznań", phone: "0048 501 111 222"), ["Jan Nowak:Phone"]),
        // A price group in another letter case, no payment term (the company's 14 days), a contact.
        (Company("Beta Serwis", "Kraków", priceGroup: "hurt", contacts: [new ContactInput("Anna", "Kowal", "Zakupy", "anna@beta.pl", null)]), []),
        (Company("Gamma Sp. z o.o.", "Wrocław", nip: "1112223332", term: 30), []),
        // The previous-but-one party's NIP: a tax-id duplicate inside the call.
        (Company("Gamma Oddział Wrocław", "Wrocław", nip: "111-222-33-32"), ["Gamma Sp. z o.o.:TaxId"]),
    ];

    private static async Task SeedAsync(KontorApp host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PriceListService>().CreatePriceGroupAsync(new SavePriceGroup("Hurt", null));
        var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
        await parties.CreateAsync(Company("Hurtownia Kowalski Sp. z o.o.", "Warszawa", nip: "5260250274", email: "biuro@kowalski.pl", phone: "+48 601 234 567"));
        await parties.CreateAsync(Person("Jan Nowak", "Kraków", phone: "501 111 222"));
    }

    private static string Describe(PartyCreated created) =>
        string.Join(" ", created.PossibleDuplicates.Select(c => $"{c.Name}:{string.Join(",", c.Reasons)}"));

    /// <summary>Everything the creations wrote, without ids and times: party ids inside audit details become names.</summary>
    private static Task<List<string>> SnapshotAsync(KontorApp host) => host.QueryAsync(async db =>
    {
        var parties = await db.Parties.AsNoTracking().Include(p => p.Contacts).ToListAsync();
        var names = parties.ToDictionary(p => p.Id.ToString(), p => p.Name);
        string Named(string text) => names.Aggregate(text, (t, n) => t.Replace(n.Key, n.Value, StringComparison.OrdinalIgnoreCase));
        var rows = parties.Select(p => string.Join("|", "party", p.Name, p.Kind, p.TaxIdKind, p.TaxId, p.Kpp, p.Email, p.Phone, p.Address.Street,
            p.Address.PostalCode, p.Address.City, p.Address.CountryCode, p.PaymentTermDays, p.PriceGroup, p.CreditLimit, p.CreditLimitCurrency,
            p.Status, p.NameKey, p.CityKey, p.TaxKey, p.EmailKey, p.PhoneKey, p.NameWord1, p.NameWord2,
            string.Join(",", p.Contacts.Select(c => $"{c.FirstName} {c.LastName} {c.Position} {c.Email}").Order())))
            .Order(StringComparer.Ordinal).ToList();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(Party)).ToListAsync();
        rows.AddRange(audit.Select(a => string.Join("|", "audit", a.Action, Named(a.EntityId), Named(a.Details), a.UserName)).Order(StringComparer.Ordinal));
        return rows;
    });

    [Fact]
    public async Task A_call_of_many_writes_what_as_many_single_calls_write_and_reports_the_same_duplicates()
    {
        await using var oneByOne = app.CreateFresh(new Dictionary<string, string?>());
        await using var batched = app.CreateFresh(new Dictionary<string, string?>());
        await ((IAsyncLifetime)oneByOne).InitializeAsync();
        await ((IAsyncLifetime)batched).InitializeAsync();
        await SeedAsync(oneByOne);
        await SeedAsync(batched);

        var singles = new List<PartyCreated>();
        foreach (var (command, _) in Cases)
        {
            await using var scope = oneByOne.Services.CreateAsyncScope();
            singles.Add(await scope.ServiceProvider.GetRequiredService<PartyService>().CreateCheckedAsync(command, confirmDuplicate: true));
        }
        IReadOnlyList<PartyCreated> many;
        await using (var scope = batched.Services.CreateAsyncScope())
        {
            // Inside a caller's unit of work (as the shop ingestion's batch calls it): saved when that one commits.
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
            many = await unitOfWork.ExecuteAsync(token => parties.CreateManyCheckedAsync([.. Cases.Select(c => c.Command)], confirmDuplicate: true, token));
        }

        Assert.Equal(Cases.Length, many.Count);
        for (var i = 0; i < Cases.Length; i++)
        {
            Assert.Equal(string.Join(" ", Cases[i].Expected), Describe(singles[i]));
            Assert.Equal(string.Join(" ", Cases[i].Expected), Describe(many[i]));
            Assert.Equal(Cases[i].Command.Name, many[i].Party.Name);
        }
        var expected = await SnapshotAsync(oneByOne);
        var actual = await SnapshotAsync(batched);
        Assert.Equal(2 + Cases.Length, expected.Count(r => r.StartsWith("party|", StringComparison.Ordinal)));
        Assert.Equal(expected, actual);

        // A few of the rows by hand: the defaults, the price group as defined, the keys, the duplicates in the audit record.
        Assert.Contains(actual, r => r.StartsWith("party|Beta Serwis|Company|None|||||Prosta 1|00-001|Kraków|PL|14|Hurt|", StringComparison.Ordinal)
                                     && r.EndsWith("|Anna Kowal Zakupy anna@beta.pl", StringComparison.Ordinal));
        Assert.Contains(actual, r => r.StartsWith("party|Gamma Oddział Wrocław|Company|Nip|1112223332|", StringComparison.Ordinal) && r.Contains("|PL:1112223332|", StringComparison.Ordinal));
        Assert.Contains("audit|party.created|Alfa Trade Sp. z o.o.|{\"name\":\"Alfa Trade Sp. z o.o.\",\"taxId\":null,\"possibleDuplicates\":[{\"partyId\":\"Alfa Trade\",\"reasons\":[\"Email\",\"NameAndCity\"]}]}|", string.Join("\n", actual));
    }

    private Task<(int Parties, int Audit)> CountsAsync() =>
        app.QueryAsync(async db => (await db.Parties.CountAsync(), await db.AuditEntries.CountAsync()));

    [Fact]
    public async Task A_bad_field_of_one_item_writes_nothing_and_names_the_item()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
        var before = await CountsAsync();

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => parties.CreateManyCheckedAsync(
            [Company("Omega Jeden", "Opole"), Company("Omega Dwa", "Opole"), Company("Omega Trzy", "Opole", nip: "1234567890")], confirmDuplicate: false));
        Assert.Equal(["parties[2].taxId"], invalid.Errors.Keys);
        var unknownGroup = await Assert.ThrowsAsync<ValidationException>(() => parties.CreateManyCheckedAsync(
            [Company("Omega Jeden", "Opole"), Company("Omega Dwa", "Opole", priceGroup: "Detal-nie-ma")], confirmDuplicate: false));
        Assert.Equal(["parties[1].priceGroup"], unknownGroup.Errors.Keys);
        var empty = await Assert.ThrowsAsync<ValidationException>(() => parties.CreateManyCheckedAsync([], confirmDuplicate: false));
        Assert.Equal(["parties"], empty.Errors.Keys);

        // The single call names its fields as it always did.
        var single = await Assert.ThrowsAsync<ValidationException>(() => parties.CreateCheckedAsync(Company("Omega Trzy", "Opole", nip: "1234567890"), confirmDuplicate: false));
        Assert.Equal(["taxId"], single.Errors.Keys);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_tax_id_that_exists_or_comes_earlier_in_the_call_is_refused_without_confirmation_and_names_the_item()
    {
        await using (var seed = app.Services.CreateAsyncScope())
            await seed.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(Company("Epsilon Handel", "Sopot", nip: "6750000007"));
        await using var scope = app.Services.CreateAsyncScope();
        var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
        var before = await CountsAsync();

        var existing = await Assert.ThrowsAsync<DuplicatePartyException>(() => parties.CreateManyCheckedAsync(
            [Company("Zeta Nowa", "Sopot"), Company("Epsilon Oddział", "Gdynia", nip: "675-000-00-07")], confirmDuplicate: false));
        Assert.Equal(1, existing.Index);
        Assert.StartsWith("parties[1]: A party with the same tax id already exists: Epsilon Handel (6750000007).", existing.Message);
        Assert.Equal(["Epsilon Handel"], existing.Candidates.Select(c => c.Name));

        var within = await Assert.ThrowsAsync<DuplicatePartyException>(() => parties.CreateManyCheckedAsync(
            [Company("Delta", "Sopot", nip: "9543000003"), Company("Zeta Nowa", "Sopot"), Company("Delta Bis", "Gdynia", nip: "954-300-00-03")], confirmDuplicate: false));
        Assert.Equal(2, within.Index);
        Assert.Equal(["Delta"], within.Candidates.Select(c => c.Name));
        Assert.Equal(before, await CountsAsync());

        // The single call: no index, the message as before.
        var single = await Assert.ThrowsAsync<DuplicatePartyException>(() => parties.CreateCheckedAsync(Company("Epsilon Oddział", "Gdynia", nip: "6750000007"), confirmDuplicate: false));
        Assert.Null(single.Index);
        Assert.StartsWith("A party with the same tax id already exists: Epsilon Handel (6750000007).", single.Message);
        Assert.Equal(before, await CountsAsync());

        // Confirmed, the same call writes all three.
        var created = await parties.CreateManyCheckedAsync(
            [Company("Delta", "Sopot", nip: "9543000003"), Company("Zeta Nowa", "Sopot"), Company("Delta Bis", "Gdynia", nip: "954-300-00-03")], confirmDuplicate: true);
        Assert.Equal(["", "", "Delta:TaxId"], created.Select(Describe));
        Assert.Equal((before.Parties + 3, before.Audit + 3), await CountsAsync());
    }

    private static readonly SemaphoreSlim GroupGate = new(1, 1);

    private async Task<(int Reads, int Commands)> CountBatchAsync(int n, string tag)
    {
        await GroupGate.WaitAsync();
        try
        {
            await using var setup = app.Services.CreateAsyncScope();
            if (!await setup.ServiceProvider.GetRequiredService<KontorDbContext>().PriceGroups.AnyAsync(g => g.Name == "Hurt"))
                await setup.ServiceProvider.GetRequiredService<PriceListService>().CreatePriceGroupAsync(new SavePriceGroup("Hurt", null));
        }
        finally { GroupGate.Release(); }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);
        await scope.ServiceProvider.GetRequiredService<PartyService>().CreateManyCheckedAsync([.. Enumerable.Range(0, n).Select(i =>
            Company($"Licznik {tag} Firma{Letters(i)}", "Kielce", nip: null, email: $"{tag}{i}@licznik.pl", phone: $"41 {tag.Length}00 {i:D2} 00",
                priceGroup: "Hurt", contacts: [new ContactInput("Jan", "Licznik", null, null, null)]))], confirmDuplicate: false);
        return (Reads(counter), counter.Commands);
    }

    /// <summary>Commands other than the INSERTs of SaveChanges (queries).</summary>
    private static int Reads(ContextCounter counter) =>
        counter.CommandTexts.Count(t => !t.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase));

    private static string Letters(int i) => new([(char)('a' + i / 26 % 26), (char)('a' + i % 26)]);

    [Fact]
    public async Task The_reads_of_a_call_do_not_grow_with_the_number_of_parties()
    {
        await CountBatchAsync(1, "w"); // reference data (company profile) into its cache
        var one = await CountBatchAsync(1, "a");
        var twenty = await CountBatchAsync(20, "bb");
        var big = await CountBatchAsync(150, "ccc");
        output.WriteLine($"reads N=1: {one.Reads} (commands {one.Commands}); N=20: {twenty.Reads} (commands {twenty.Commands}); N=150: {big.Reads} (commands {big.Commands})");
        // Price groups, duplicate candidates, the merged-party check of the contacts: the same for 1 and for 20.
        Assert.Equal(one.Reads, twenty.Reads);
        Assert.True(one.Reads <= 3, $"{one.Reads} reads");
        // The candidates are read 100 parties per query (DuplicateDetector.ProbesPerQuery): one more for 150.
        Assert.Equal(one.Reads + 1, big.Reads);
    }

    /// <summary>Rule 5 of the batch contract: EF queries, SaveChanges and CPU per party, 50 single calls vs one call of 50 (printed, not asserted).</summary>
    [Fact]
    public async Task Fifty_single_calls_vs_one_call_of_fifty_are_measured()
    {
        await CountBatchAsync(1, "m"); // warm-up
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (queries, saves) = (0, 0);
        for (var i = 0; i < 50; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            using var counter = new ContextCounter(db);
            await scope.ServiceProvider.GetRequiredService<PartyService>().CreateCheckedAsync(
                Company($"Pomiar Pojedynczy Firma{Letters(i)}", "Radom", email: $"single{i}@pomiar.pl", phone: $"48 300 {i:D2} 11"), confirmDuplicate: false);
            queries += Reads(counter);
            saves += counter.Saves;
        }
        var singleCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;

        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        int batchQueries, batchSaves;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            using var counter = new ContextCounter(db);
            await scope.ServiceProvider.GetRequiredService<PartyService>().CreateManyCheckedAsync([.. Enumerable.Range(0, 50).Select(i =>
                Company($"Pomiar Wsadowy Firma{Letters(i)}", "Radom", email: $"batch{i}@pomiar.pl", phone: $"48 400 {i:D2} 11"))], confirmDuplicate: false);
            (batchQueries, batchSaves) = (Reads(counter), counter.Saves);
        }
        var batchCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        output.WriteLine($"{app.Provider}: 50 single calls: {queries / 50.0:0.00} queries, {saves / 50.0:0.00} SaveChanges, {singleCpu / 50:0.00} ms CPU per party");
        output.WriteLine($"{app.Provider}: one call of 50:  {batchQueries / 50.0:0.00} queries, {batchSaves / 50.0:0.00} SaveChanges, {batchCpu / 50:0.00} ms CPU per party");
        Assert.Equal(1, batchSaves);
    }
}

public sealed class SqlitePartyBatchTests(SqliteApp app, ITestOutputHelper output) : PartyBatchTests<SqliteApp>(app, output);

public sealed class PostgresPartyBatchTests(PostgresApp app, ITestOutputHelper output) : PartyBatchTests<PostgresApp>(app, output);
