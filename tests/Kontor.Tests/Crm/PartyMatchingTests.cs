using Kontor.Common;
using Kontor.Crm;
using Kontor.Persistence;
using Kontor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Crm;

/// <summary>
/// PartyMatching (docs/crm.md, "Recognising a customer"): the first active party (lowest id) whose key equals the
/// customer's, key by key in the given order; the call for many customers finds what the call for one finds, in at most
/// one query per key kind.
/// </summary>
public abstract class PartyMatchingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly PartyMatchKey[] EmailTaxPhone = [PartyMatchKey.Email, PartyMatchKey.TaxId, PartyMatchKey.Phone];
    private static readonly PartyMatchKey[] TaxEmail = [PartyMatchKey.TaxId, PartyMatchKey.Email];
    private static readonly PartyMatchKey[] PhoneEmail = [PartyMatchKey.Phone, PartyMatchKey.Email];

    private sealed record Seeded(Guid ByEmail, Guid ByNip, Guid ByPhone, Guid MergedTwin, Guid ActiveTwin, Guid Lower, Guid Higher);

    // xUnit makes an instance per test: the seed is kept per host (database).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<KontorApp, Lazy<Task<Seeded>>> Seeds = new();

    private Task<Seeded> SeedAsync() => Seeds.GetOrAdd(app, _ => new Lazy<Task<Seeded>>(SeedOnceAsync)).Value;

    /// <summary>The parties every case is matched against (once per database).</summary>
    private async Task<Seeded> SeedOnceAsync()
    {
        var now = app.Clock.GetUtcNow();
        Party New(string name, string? email = null, string? nip = null, string? phone = null, Guid? id = null, PartyStatus status = PartyStatus.Active) => new()
        {
            Id = id ?? Guid.CreateVersion7(),
            Kind = PartyKind.Company, Name = name, Email = email, TaxIdKind = nip is null ? TaxIdKind.None : TaxIdKind.Nip, TaxId = nip, Phone = phone,
            Address = new Address { City = "Lublin", CountryCode = "PL" }, PaymentTermDays = 14, Status = status,
        };
        // Ids with times a day apart: "lower" sorts first whatever order the rows are written in.
        var lower = Guid.CreateVersion7(now.AddDays(-1));
        var higher = Guid.CreateVersion7(now);
        var mergedTwin = Guid.CreateVersion7(now.AddDays(-2));
        var parties = new[]
        {
            New("Dopasowanie E-mail", email: "klient@sklep.pl"),
            New("Dopasowanie NIP", nip: "5260250274"),
            New("Dopasowanie Telefon", phone: "+48 600 100 200"),
            New("Bliźniak Wyższy", email: "wspolny@sklep.pl", id: higher),
            New("Bliźniak Niższy", email: "wspolny@sklep.pl", id: lower),
            // Merged into the active twin (and the lower id of the two): never found.
            New("Scalony", email: "scalony@sklep.pl", phone: "600 999 888", id: mergedTwin, status: PartyStatus.Merged),
            New("Aktywny po scaleniu", email: "scalony@sklep.pl", phone: "600 999 888"),
        };
        await app.QueryAsync(async db => { db.Parties.AddRange(parties); return await db.SaveChangesAsync(); });
        return new Seeded(parties[0].Id, parties[1].Id, parties[2].Id, mergedTwin, parties[6].Id, lower, higher);
    }

    /// <summary>The table: a shop customer, the channel's order of keys, the party expected (by hand) or none.</summary>
    private static IEnumerable<(string Case, PartyMatchProbe Probe, PartyMatchKey[] Order, Func<Seeded, Guid?> Expected)> Cases() =>
    [
        ("e-mail in another letter case", new("Klient@Sklep.PL", TaxIdKind.None, null, null), EmailTaxPhone, s => s.ByEmail),
        ("NIP with dashes and PL", new(null, TaxIdKind.Nip, "PL526-025-02-74", null), EmailTaxPhone, s => s.ByNip),
        ("phone with +48 written as 0048", new(null, TaxIdKind.None, null, "0048 600-100-200"), EmailTaxPhone, s => s.ByPhone),
        ("e-mail first: the e-mail's party", new("klient@sklep.pl", TaxIdKind.Nip, "5260250274", "600100200"), EmailTaxPhone, s => s.ByEmail),
        ("NIP first: the NIP's party", new("klient@sklep.pl", TaxIdKind.Nip, "5260250274", "600100200"), TaxEmail, s => s.ByNip),
        ("phone first: the phone's party", new("klient@sklep.pl", TaxIdKind.Nip, "5260250274", "600100200"), PhoneEmail, s => s.ByPhone),
        ("an unknown e-mail falls through to the NIP", new("nowy@sklep.pl", TaxIdKind.Nip, "5260250274", null), EmailTaxPhone, s => s.ByNip),
        ("a key the channel does not match by is ignored", new(null, TaxIdKind.None, null, "600100200"), TaxEmail, _ => null),
        ("lowest id wins", new("wspolny@sklep.pl", TaxIdKind.None, null, null), EmailTaxPhone, s => s.Lower),
        ("merged party skipped (e-mail)", new("scalony@sklep.pl", TaxIdKind.None, null, null), EmailTaxPhone, s => s.ActiveTwin),
        ("merged party skipped (phone)", new(null, TaxIdKind.None, null, "600 999 888"), PhoneEmail, s => s.ActiveTwin),
        ("none found", new("nikt@sklep.pl", TaxIdKind.Nip, "1112223332", "700 000 001"), EmailTaxPhone, _ => null),
        ("no keys at all", new(null, TaxIdKind.None, null, null), EmailTaxPhone, _ => null),
    ];

    [Fact]
    public async Task Each_customer_is_matched_by_the_channels_order_of_keys_one_at_a_time_and_all_at_once()
    {
        var s = await SeedAsync();
        var cases = Cases().ToList();
        await using (var single = app.Services.CreateAsyncScope())
            foreach (var c in cases)
            {
                var one = await single.ServiceProvider.GetRequiredService<PartyMatching>().MatchManyAsync([(c.Probe, (IReadOnlyList<PartyMatchKey>)c.Order)]);
                Assert.True(c.Expected(s) == (one.TryGetValue(0, out var found) ? found : null), c.Case);
            }

        // A context of its own: EF notices a listener that subscribed after its last commands only after a while.
        await using var scope = app.Services.CreateAsyncScope();
        var matching = scope.ServiceProvider.GetRequiredService<PartyMatching>();
        using var counter = new ContextCounter(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
        var many = await matching.MatchManyAsync([.. cases.Select(c => (c.Probe, (IReadOnlyList<PartyMatchKey>)c.Order))]);
        for (var i = 0; i < cases.Count; i++)
            Assert.True(cases[i].Expected(s) == (many.TryGetValue(i, out var id) ? id : null), cases[i].Case);
        // One query per key kind for all thirteen customers.
        Assert.Equal(3, counter.Commands);
    }

    [Fact]
    public async Task One_order_for_all_reads_each_kind_once_and_stops_when_everyone_is_found()
    {
        var s = await SeedAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var matching = scope.ServiceProvider.GetRequiredService<PartyMatching>();
        using var counter = new ContextCounter(scope.ServiceProvider.GetRequiredService<KontorDbContext>());

        // Everyone found by e-mail: the NIP and the phone are not asked.
        var byEmail = await matching.MatchManyAsync(
            [(new("klient@sklep.pl", TaxIdKind.Nip, "5260250274", "600100200"), (IReadOnlyList<PartyMatchKey>)EmailTaxPhone), (new("wspolny@sklep.pl", TaxIdKind.None, null, "600 999 888"), EmailTaxPhone)]);
        Assert.Equal(new Dictionary<int, Guid> { [0] = s.ByEmail, [1] = s.Lower }, byEmail);
        Assert.Equal(1, counter.Commands);

        // Twenty customers, e-mail then NIP then phone: three queries.
        var probes = Enumerable.Range(0, 20).Select(i => new PartyMatchProbe($"k{i}@nieznany.pl", TaxIdKind.None, null, i == 7 ? "600 100 200" : $"700 000 {i:D3}")).ToList();
        var twenty = await matching.MatchManyAsync([.. probes.Select(p => (p, (IReadOnlyList<PartyMatchKey>)EmailTaxPhone))]);
        Assert.Equal(new Dictionary<int, Guid> { [7] = s.ByPhone }, twenty);
        Assert.Equal(1 + 2, counter.Commands); // no NIPs given: that kind is not read
    }
}

public sealed class SqlitePartyMatchingTests(SqliteApp app) : PartyMatchingTests<SqliteApp>(app);

public sealed class PostgresPartyMatchingTests(PostgresApp app) : PartyMatchingTests<PostgresApp>(app);
