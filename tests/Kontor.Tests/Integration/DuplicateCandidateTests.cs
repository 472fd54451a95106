using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Duplicates;
using Kontor.Persistence;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// The duplicate check of a new party reads only the parties of its city that share one of the name's block words
/// (docs/crm.md, "Duplicates, merge and import"; docs/performance.md, W1): a city of 2,000 parties costs the same
/// statements and the same rows as a city of 5, and the look-alike is still found.
/// </summary>
public abstract class DuplicateCandidateTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>Letters only (a running number is not a block word): 0 → "aaa", 1 → "aab", …</summary>
    private static string Letters(int i) => new([(char)('a' + i / 676 % 26), (char)('a' + i / 26 % 26), (char)('a' + i % 26)]);

    private async Task SeedCityAsync(string city, int parties, Func<int, string>? name = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        // Every name has its own two words (no block shared with another party), like a real customer base.
        for (var i = 0; i < parties; i++)
            db.Parties.Add(new Party
            {
                Kind = PartyKind.Person, Name = name?.Invoke(i) ?? $"Imie{Letters(i)} Nazwisko{Letters(i)}",
                Address = new Address { City = city, CountryCode = "PL" }, PaymentTermDays = 14,
            });
        db.Parties.Add(new Party { Kind = PartyKind.Person, Name = "Grzegorz Brzęczyszczykiewicz", Address = new Address { City = city, CountryCode = "PL" }, PaymentTermDays = 14 });
        await db.SaveChangesAsync();
    }

    /// <summary>Creates a look-alike of the seeded "Grzegorz Brzęczyszczykiewicz" (a letter missing) and counts what its context read.</summary>
    private async Task<(PartyCreated Created, int Commands, int RowsRead)> CreateLookAlikeAsync(string city)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);
        var created = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateCheckedAsync(new CreateParty(
            PartyKind.Person, "Brzeczyszczykiewic Grzegorz", TaxIdKind.None, null, new AddressInput(null, null, city, "PL"),
            null, null, null, null, null, null, null), confirmDuplicate: false);
        return (created, counter.Commands, counter.RowsRead);
    }

    [Fact]
    public async Task A_big_city_finds_the_look_alike_with_the_same_statements_and_rows_as_a_small_one()
    {
        await SeedCityAsync("Małe Miasto", 5);
        await SeedCityAsync("Duże Miasto", 2000);

        await CreateLookAlikeAsync("Rozgrzewka"); // reference data (company profile) into its cache, for both alike
        var small = await CreateLookAlikeAsync("Małe Miasto");
        var big = await CreateLookAlikeAsync("Duże Miasto");

        foreach (var (created, city) in new[] { (small.Created, "Małe Miasto"), (big.Created, "Duże Miasto") })
        {
            var candidate = Assert.Single(created.PossibleDuplicates);
            Assert.Equal("Grzegorz Brzęczyszczykiewicz", candidate.Name);
            Assert.Equal(city, candidate.City);
            Assert.Equal([DuplicateReason.NameAndCity], candidate.Reasons);
        }
        Assert.Equal(small.Commands, big.Commands);
        // Before: every party of the city was read (2,001 rows in the big one). Now the same handful in both.
        Assert.Equal(small.RowsRead, big.RowsRead);
        Assert.True(big.RowsRead < 20, $"{big.RowsRead} rows read");

        // The block words are stored on save (and backfilled at startup for parties saved before them).
        var stored = await app.QueryAsync(db => db.Parties.Where(p => p.Name == "Grzegorz Brzęczyszczykiewicz" && (p.Address.City == "Małe Miasto" || p.Address.City == "Duże Miasto")).Select(p => new { p.NameWord1, p.NameWord2 }).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.All(stored, s => Assert.Equal(("brzeczyszczykiewicz", "grzegorz"), (s.NameWord1, s.NameWord2)));
    }

    [Fact]
    public async Task A_batch_pairs_each_city_with_its_own_names_words()
    {
        // 2,100 Annas in one city, then the party a new customer there resembles (saved last: the highest id).
        await SeedCityAsync("Gród Annowy", 2100, i => $"Anna Nazwisko{Letters(i)}");

        // One batch: the look-alike in Gród Annowy and an Anna in Gdańsk. With the cities and the words as two lists
        // the batch read every Anna of Gród Annowy, and the cap (1,000 per probe, by id) cut the real look-alike off.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);
        var created = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateManyCheckedAsync([
            new CreateParty(PartyKind.Person, "Brzeczyszczykiewic Grzegorz", TaxIdKind.None, null, new AddressInput(null, null, "Gród Annowy", "PL"),
                null, null, null, null, null, null, null),
            new CreateParty(PartyKind.Person, "Anna Zielińska", TaxIdKind.None, null, new AddressInput(null, null, "Gdańsk", "PL"),
                null, null, null, null, null, null, null),
        ], confirmDuplicate: true);

        var candidate = Assert.Single(created[0].PossibleDuplicates);
        Assert.Equal(("Grzegorz Brzęczyszczykiewicz", "Gród Annowy"), (candidate.Name, candidate.City));
        Assert.Empty(created[1].PossibleDuplicates);
        Assert.True(counter.RowsRead < 20, $"{counter.RowsRead} rows read");
    }

    [Fact]
    public async Task Parties_saved_before_the_block_words_get_them_at_start_up()
    {
        var party = new Party { Kind = PartyKind.Company, Name = "Hurtownia Żelazna Sp. z o.o.", Address = new Address { City = "Stare Miasto", CountryCode = "PL" }, PaymentTermDays = 14 };
        await app.QueryAsync(async db => { db.Parties.Add(party); return await db.SaveChangesAsync(); });
        // As a database migrated by DuplicateNameKeys holds its older parties: the new columns empty.
        await app.QueryAsync(db => db.Parties.Where(p => p.Id == party.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.NameWord1, (string?)null).SetProperty(p => p.NameWord2, (string?)null)));

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var stored = await app.QueryAsync(db => db.Parties.Where(p => p.Id == party.Id).Select(p => new { p.NameKey, p.NameWord1, p.NameWord2 }).SingleAsync());
        Assert.Equal(("hurtownia zelazna", "hurtownia", "zelazna"), (stored.NameKey, stored.NameWord1, stored.NameWord2));
    }

    [Fact]
    public void Block_words_are_the_two_longest_words_of_letters_of_the_normalised_name()
    {
        Assert.Equal(["przedsiebiorstwo", "kowalski"], PartyMatchKeys.NameBlockWords(PartyMatchKeys.Name("Przedsiębiorstwo Kowalski sp.k.")));
        Assert.Equal(["nowak", "jan"], PartyMatchKeys.NameBlockWords(PartyMatchKeys.Name("Jan Nowak 17")));
        Assert.Equal(["17"], PartyMatchKeys.NameBlockWords("17"));
        Assert.Empty(PartyMatchKeys.NameBlockWords(""));
    }
}

public sealed class SqliteDuplicateCandidateTests(SqliteApp app) : DuplicateCandidateTests<SqliteApp>(app);

public sealed class PostgresDuplicateCandidateTests(PostgresApp app) : DuplicateCandidateTests<PostgresApp>(app);
