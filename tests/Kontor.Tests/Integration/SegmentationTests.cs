using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Segments, tags, the customer list's filters (every combination from one table, expected rows written by hand) and saved
/// filters through the API.
/// </summary>
public abstract class SegmentationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static Task<JsonNode> CreateAsync(HttpClient client, string name, string kind = "Company", string city = "Warszawa", string country = "PL",
        string? creditLimit = null) =>
        client.PostCreatedAsync("/api/parties", new
        {
            kind, name,
            taxIdKind = kind == "Company" && country == "PL" ? "Nip" : "None",
            taxId = kind == "Company" && country == "PL" ? Builders.UniqueNip() : null,
            address = new { street = "ul. Filtrowa 1", postalCode = "00-001", city, countryCode = country },
            email = "kontakt@" + Guid.NewGuid().ToString("N")[..6] + ".pl",
            paymentTermDays = 14,
            creditLimit = creditLimit is null ? null : new { amount = creditLimit, currency = "PLN" },
        });

    private static object Line(string unitPrice) => new[] { new { description = "Usługa", quantity = "1", unitPrice, vatRateCode = "23" } };

    [Fact]
    public async Task Filters_combine_with_AND_and_page_by_name()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 4));
        var admin = await app.ClientAsync(Roles.Admin);
        var manager = await app.ClientAsync(Roles.Manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var run = "run" + Guid.NewGuid().ToString("N")[..6];
        var keyAccount = (await admin.PostCreatedAsync("/api/segments", new { name = "Key account " + run })).Id();
        var smb = (await admin.PostCreatedAsync("/api/segments", new { name = "SMB " + run })).Id();

        var a = (await CreateAsync(sales, $"Filtr {run} Alfa")).Id();
        var b = (await CreateAsync(sales, $"Filtr {run} Beta", city: "Kraków")).Id();
        var c = (await CreateAsync(sales, $"Filtr {run} Celina Kowalska", kind: "Person")).Id();
        var d = (await CreateAsync(sales, $"Filtr {run} Delta", city: "Gdańsk", creditLimit: "100.00")).Id();
        var e = (await CreateAsync(sales, $"Filtr {run} Epsilon")).Id();
        var f = (await CreateAsync(sales, $"Filtr {run} Fuchs GmbH", city: "Berlin", country: "DE")).Id();
        foreach (var (id, segment) in new[] { (a, keyAccount), (b, smb), (d, keyAccount), (e, smb) })
            await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{id}/segment", new { segmentId = segment }, HttpStatusCode.OK);
        foreach (var (id, tags) in new[] { (a, "vip export"), (b, "vip"), (c, ""), (d, "export"), (e, ""), (f, "") })
            foreach (var tag in (run + " " + tags).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                await sales.PostOkAsync($"/api/parties/{id}/tags/{tag}");

        // D: 1000.00 net = 1230.00 gross owed against a limit of 100.00 (approved by the manager), due in 14 days: over the limit, not overdue.
        var dInvoice = await manager.PostCreatedAsync("/api/invoices", new { partyId = d, currency = "PLN", pricingMode = "Net", creditOverride = new { reason = "test" }, lines = Line("1000.00") });
        await manager.PostOkAsync($"/api/invoices/{dInvoice.Id()}/issue", new { creditOverride = new { reason = "test" } });
        // E: 100.00 net issued 2026-03-02, due 2026-03-16: 49 days overdue on 2026-05-04, beyond the 30-day threshold.
        await sales.CreateAndIssueAsync(e, "100.00", issueDate: new DateOnly(2026, 3, 2));

        string[] all = ["A", "B", "C", "D", "E", "F"];
        var names = new Dictionary<Guid, string> { [a] = "A", [b] = "B", [c] = "C", [d] = "D", [e] = "E", [f] = "F" };
        (string Query, string[] Expected)[] cases =
        [
            ("", all),
            ("&tag=vip", ["A", "B"]),
            ("&tag=vip&tag=export", ["A"]),
            ("&tag=VIP&tag=Export", ["A"]),
            ("&tag=export&tag=nobody-has-this", []),
            ($"&segmentId={keyAccount}", ["A", "D"]),
            ($"&segmentId={smb}&city=Warszawa", ["E"]),
            ("&city=warszawa", ["A", "C", "E"]),
            ("&country=DE", ["F"]),
            ("&country=pl&kind=Company&tag=export", ["A", "D"]),
            ("&kind=Person", ["C"]),
            ("&hasOverdueDebt=true", ["E"]),
            ("&hasOverdueDebt=false", ["A", "B", "C", "D", "F"]),
            ("&overCreditLimit=true", ["D"]),
            ("&creditBlocked=true", ["D", "E"]),
            ("&creditBlocked=false&tag=vip", ["A", "B"]),
            ($"&creditBlocked=true&segmentId={keyAccount}", ["D"]),
            ("&search=alfa", ["A"]),
            ("&search=kowalska&kind=Company", []),
            // Punctuation alone has no letter or digit to look for in a tax id: it finds nothing, not every company with a NIP.
            ("&search=%23", []),
            ("&search=-", []),
        ];
        foreach (var (query, expected) in cases)
        {
            var rows = await sales.GetOkAsync($"/api/parties?tag={run}{query}");
            var got = rows.AsArray().Select(r => names[Guid.Parse(r.Str("id"))]).ToArray();
            Assert.True(expected.SequenceEqual(got), $"{query}: expected [{string.Join(",", expected)}], got [{string.Join(",", got)}]");
        }

        // A page: the second and third of six, by name; the header counts all six.
        using var response = await sales.GetAsync($"/api/parties?tag={run}&skip=1&take=2");
        Assert.Equal("6", response.Headers.GetValues("X-Total-Count").Single());
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["B", "C"], page.Select(r => names[Guid.Parse(r.Str("id"))]).ToArray());
        var alfa = (await sales.GetOkAsync($"/api/parties?tag={run}&search=alfa")).AsArray().Single()!;
        Assert.Equal("Key account " + run, alfa.Str("segment"));
        Assert.Equal(new[] { "export", run, "vip" }.Order(StringComparer.Ordinal), alfa.Arr("tags").Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_filter_values_are_400_naming_the_parameter()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        foreach (var (query, field) in new[] { ("kind=Robot", "kind"), ("hasOverdueDebt=maybe", "hasOverdueDebt"), ("country=Poland", "country"), ("segmentId=x", "segmentId"), ("tag=a%2Fb", "tags") })
        {
            var (status, problem, _) = await sales.SendAsync(HttpMethod.Get, "/api/parties?" + query);
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {status} {problem?.ToJsonString()}");
            Assert.NotNull(problem!["errors"]![field]);
        }
    }

    [Fact]
    public async Task Tags_are_normalised_counted_and_removed()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var run = "t" + Guid.NewGuid().ToString("N")[..6];
        var p1 = (await sales.CreatePartyAsync()).Id();
        var p2 = (await sales.CreatePartyAsync()).Id();

        var labels = await sales.PostOkAsync($"/api/parties/{p1}/tags/{Uri.EscapeDataString($"  Stały {run.ToUpperInvariant()}  Klient ")}");
        Assert.Equal([$"stały-{run}-klient"], labels.Arr("tags").Select(t => t!.GetValue<string>()).ToArray());
        await sales.PostOkAsync($"/api/parties/{p1}/tags/stały-{run}-klient"); // the same tag again: nothing changes
        await sales.PostOkAsync($"/api/parties/{p2}/tags/STAŁY-{run}-KLIENT");
        await sales.PostOkAsync($"/api/parties/{p2}/tags/{run}-hurt");

        var counts = (await sales.GetOkAsync("/api/tags")).AsArray().Where(t => t.Str("tag").Contains(run)).Select(t => (t.Str("tag"), t!["count"]!.GetValue<int>())).ToArray();
        Assert.Equal([($"stały-{run}-klient", 2), ($"{run}-hurt", 1)], counts);
        Assert.Equal(3, await app.QueryAsync(db => db.Set<Kontor.Crm.Segmentation.PartyTag>().CountAsync(t => t.Tag.Contains(run))));

        var after = await sales.ExpectAsync(HttpMethod.Delete, $"/api/parties/{p2}/tags/{run}-hurt", null, HttpStatusCode.OK);
        Assert.Equal([$"stały-{run}-klient"], after.Arr("tags").Select(t => t!.GetValue<string>()).ToArray());
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/parties/{p1}/tags/zły!tag");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["tag"]);
    }

    [Fact]
    public async Task Segments_are_managed_by_admin_and_manager_and_a_used_one_is_not_deleted()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var name = "Retail " + Guid.NewGuid().ToString("N")[..6];
        var (forbidden, _, _) = await sales.SendAsync(HttpMethod.Post, "/api/segments", new { name });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);

        var segment = (await manager.PostCreatedAsync("/api/segments", new { name })).Id();
        var (duplicate, _, _) = await manager.SendAsync(HttpMethod.Post, "/api/segments", new { name = name.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        var party = (await sales.CreatePartyAsync()).Id();
        var labels = await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{party}/segment", new { segmentId = segment }, HttpStatusCode.OK);
        Assert.Equal(name, labels.Str("segment"));

        var (inUse, problem, _) = await manager.SendAsync(HttpMethod.Delete, $"/api/segments/{segment}");
        Assert.Equal(HttpStatusCode.Conflict, inUse);
        Assert.Contains("1 party", problem.Str("detail"));
        await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{party}/segment", new { segmentId = (Guid?)null }, HttpStatusCode.OK);
        await manager.ExpectAsync(HttpMethod.Delete, $"/api/segments/{segment}", null, HttpStatusCode.NoContent);
        var (unknown, bad, _) = await sales.SendAsync(HttpMethod.Put, $"/api/parties/{party}/segment", new { segmentId = segment });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.NotNull(bad!["errors"]!["segmentId"]);
    }

    [Fact]
    public async Task Saved_filters_are_private_unless_shared_and_only_the_owner_changes_them()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var run = Guid.NewGuid().ToString("N")[..6];

        var mine = await sales.PostCreatedAsync("/api/saved-filters", new { name = "Moi VIP " + run, filter = new { tags = new[] { "VIP Klient", "vip-klient" }, city = " Warszawa ", hasOverdueDebt = true } });
        Assert.Equal(["vip-klient"], mine["filter"]!.Arr("tags").Select(t => t!.GetValue<string>()).ToArray());
        Assert.Equal("Warszawa", mine["filter"].Str("city"));
        var shared = await sales.PostCreatedAsync("/api/saved-filters", new { name = "Dłużnicy " + run, shared = true, filter = new { creditBlocked = true } });

        var seenByManager = (await manager.GetOkAsync("/api/saved-filters")).AsArray().Select(x => x.Str("name")).Where(n => n.EndsWith(run)).ToArray();
        Assert.Equal(["Dłużnicy " + run], seenByManager);
        var seenBySales = (await sales.GetOkAsync("/api/saved-filters")).AsArray().Select(x => x.Str("name")).Where(n => n.EndsWith(run)).ToArray();
        Assert.Equal(["Dłużnicy " + run, "Moi VIP " + run], seenBySales);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.SendAsync(HttpMethod.Get, $"/api/saved-filters/{mine.Id()}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.SendAsync(HttpMethod.Delete, $"/api/saved-filters/{shared.Id()}")).Status);

        var (dup, _, _) = await sales.SendAsync(HttpMethod.Post, "/api/saved-filters", new { name = "Moi VIP " + run });
        Assert.Equal(HttpStatusCode.Conflict, dup);
        var (bad, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/saved-filters", new { name = "Zły " + run, filter = new { country = "Poland" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]!["filter.country"]);

        var renamed = await sales.ExpectAsync(HttpMethod.Put, $"/api/saved-filters/{mine.Id()}", new { name = "VIP " + run, shared = true, filter = new { kind = "Person" } }, HttpStatusCode.OK);
        Assert.Equal("Person", renamed["filter"].Str("kind"));
        Assert.Null(renamed["filter"]!["tags"]);
        await sales.ExpectAsync(HttpMethod.Delete, $"/api/saved-filters/{shared.Id()}", null, HttpStatusCode.NoContent);
        Assert.Equal(["VIP " + run], (await manager.GetOkAsync("/api/saved-filters")).AsArray().Select(x => x.Str("name")).Where(n => n.EndsWith(run)).ToArray());
    }
}

public sealed class SqliteSegmentationTests(SqliteApp app) : SegmentationTests<SqliteApp>(app);

public sealed class PostgresSegmentationTests(PostgresApp app) : SegmentationTests<PostgresApp>(app);
