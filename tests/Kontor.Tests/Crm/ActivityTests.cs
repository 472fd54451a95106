using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Crm;

/// <summary>Activities: log a call, complete with an outcome, follow-ups, "my day" on a controlled clock (Europe/Warsaw days).</summary>
public abstract class ActivityTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task A_call_logged_with_call_back_makes_a_follow_up_task_due_in_two_days_at_nine_for_the_same_owner_and_party()
    {
        // 10:00 UTC on 20 March = 11:00 in Warsaw (CET, before the switch to summer time on 29 March).
        app.Clock.SetDate(new DateOnly(2026, 3, 20));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();

        var result = await sales.PostCreatedAsync("/api/activities/log-call", new
        {
            partyId, subject = "Oferta na serwis", body = "Pytał o ceny", outcome = "CallBack", outcomeNote = "Szef wraca w poniedziałek",
        });

        var call = result["activity"]!;
        Assert.Equal(("Call", "CallBack", "Szef wraca w poniedziałek"), (call.Str("kind"), call.Str("outcome"), call.Str("outcomeNote")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T10:00:00Z"), DateTimeOffset.Parse(call.Str("doneAt")));
        var followUp = result["followUp"]!;
        Assert.Equal(("Task", "Oddzwonić: Oferta na serwis"), (followUp.Str("kind"), followUp.Str("subject")));
        // 22 March 09:00 Warsaw (UTC+1) = 08:00 UTC.
        Assert.Equal(DateTimeOffset.Parse("2026-03-22T08:00:00Z"), DateTimeOffset.Parse(followUp.Str("dueAt")));
        Assert.Equal((partyId.ToString(), call.Str("ownerUserId"), call.Str("id")),
            (followUp.Str("partyId"), followUp.Str("ownerUserId"), followUp.Str("followUpOfActivityId")));
        Assert.Null(followUp["doneAt"]);

        var ownerId = await app.QueryAsync(db => db.Users.Where(u => u.Email == KontorApp.UserByRole[Roles.Sales]).Select(u => u.Id).FirstAsync());
        Assert.Equal(ownerId.ToString(), call.Str("ownerUserId"));
        var ofParty = (await sales.GetOkAsync($"/api/activities?partyId={partyId}")).AsArray();
        Assert.Equal(2, ofParty.Count);
    }

    [Fact]
    public async Task My_day_lists_overdue_oldest_first_then_today_then_upcoming_for_the_signed_in_user_only()
    {
        app.Clock.Set(DateTimeOffset.Parse("2026-04-15T10:00:00Z")); // 12:00 in Warsaw (CEST, UTC+2)
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var partyId = (await sales.CreatePartyAsync()).Id();

        async Task<string> TaskDue(HttpClient client, string subject, string dueAtUtc, string kind = "Task") =>
            (await client.PostCreatedAsync("/api/activities", new { kind, subject, partyId, dueAt = dueAtUtc })).Str("id");

        var overdueNewer = await TaskDue(sales, "Zaległe 2", "2026-04-14T21:00:00Z");   // 14 April 23:00 Warsaw
        var overdueOlder = await TaskDue(sales, "Zaległe 1", "2026-04-10T07:00:00Z");
        var todayEarly = await TaskDue(sales, "Dziś rano", "2026-04-14T22:30:00Z");     // 15 April 00:30 Warsaw: today, not yesterday
        var todayMeeting = await TaskDue(sales, "Spotkanie", "2026-04-15T13:00:00Z", "Meeting");
        var tomorrow = await TaskDue(sales, "Jutro", "2026-04-15T22:30:00Z");           // 16 April 00:30 Warsaw: tomorrow
        await TaskDue(sales, "Za daleko", "2026-04-30T08:00:00Z");                      // beyond the 7 days shown
        var done = await TaskDue(sales, "Zrobione", "2026-04-13T08:00:00Z");
        await sales.PostOkAsync($"/api/activities/{done}/complete", new { outcome = "Done" });
        await TaskDue(manager, "Cudze", "2026-04-12T08:00:00Z");

        var day = await sales.GetOkAsync("/api/activities/my-day");
        // Other scenarios of this class leave tasks of the same user; this one looks at its own party's.
        IEnumerable<JsonNode?> Own(string list) => day.Arr(list).Where(a => a.Str("partyId") == partyId.ToString());

        Assert.Equal("2026-04-15", day.Str("today"));
        Assert.Equal([overdueOlder, overdueNewer], Own("overdue").Select(a => a.Str("id")));
        Assert.All(Own("overdue"), a => Assert.True(a!["isOverdue"]!.GetValue<bool>()));
        Assert.Equal([todayEarly, todayMeeting], Own("dueToday").Select(a => a.Str("id")));
        Assert.Equal([tomorrow], Own("upcoming").Select(a => a.Str("id")));
        var managerDay = await manager.GetOkAsync("/api/activities/my-day");
        Assert.Equal(["Cudze"], managerDay.Arr("overdue").Where(a => a.Str("partyId") == partyId.ToString()).Select(a => a.Str("subject")));
    }

    [Fact]
    public async Task Completing_twice_is_409_and_an_explicit_follow_up_replaces_the_automatic_one()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 6));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var task = (await sales.PostCreatedAsync("/api/activities", new { kind = "Task", subject = "Zadzwonić", partyId, dueAt = "2026-05-06T12:00:00Z" })).Str("id");

        var completed = await sales.PostOkAsync($"/api/activities/{task}/complete", new
        {
            outcome = "CallBack", followUp = new { kind = "Meeting", subject = "Spotkanie u klienta", dueAt = "2026-05-12T10:00:00Z" },
        });
        Assert.Equal(("Meeting", "Spotkanie u klienta"), (completed["followUp"].Str("kind"), completed["followUp"].Str("subject")));
        Assert.Equal(DateTimeOffset.Parse("2026-05-12T10:00:00Z"), DateTimeOffset.Parse(completed["followUp"].Str("dueAt")));
        Assert.Equal(2, (await sales.GetOkAsync($"/api/activities?partyId={partyId}")).AsArray().Count);

        var (status, body, _) = await sales.SendAsync(HttpMethod.Post, $"/api/activities/{task}/complete", new { outcome = "Done" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already done", body!.ToJsonString());

        var other = (await sales.PostCreatedAsync("/api/activities", new { kind = "Task", subject = "Bez dalszych", partyId, dueAt = "2026-05-06T12:00:00Z" })).Str("id");
        var quiet = await sales.PostOkAsync($"/api/activities/{other}/complete", new { outcome = "CallBack", noFollowUp = true });
        Assert.Null(quiet["followUp"]);
        Assert.Equal(3, (await sales.GetOkAsync($"/api/activities?partyId={partyId}")).AsArray().Count);
    }

    [Fact]
    public async Task Bad_activities_are_400_naming_the_field_and_write_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 20));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var otherParty = await sales.CreatePartyAsync();
        var contact = await sales.PostOkAsync($"/api/parties/{otherParty.Id()}/contacts", new { firstName = "Jan", lastName = "Obcy" });

        await ExpectFieldAsync(sales, new { kind = "Task", subject = "Bez terminu", partyId }, "dueAt");
        await ExpectFieldAsync(sales, new { kind = "Note", subject = "", partyId }, "subject");
        await ExpectFieldAsync(sales, new { kind = "Note", subject = "Notatka", partyId, dueAt = "2026-05-21T10:00:00Z" }, "dueAt");
        await ExpectFieldAsync(sales, new { kind = "Call", subject = "Telefon", partyId, contactId = contact.Id() }, "contactId");
        await ExpectFieldAsync(sales, new { kind = "Call", subject = "Telefon", partyId, documentType = "invoice", documentId = Guid.NewGuid() }, "documentId");
        await ExpectFieldAsync(sales, new { subject = "Bez rodzaju", partyId }, "kind");

        Assert.Equal(0, await app.QueryAsync(db => db.Set<Kontor.Crm.Activities.Activity>().CountAsync(a => a.PartyId == partyId)));

        var note = await sales.PostCreatedAsync("/api/activities", new { kind = "Note", subject = "Lubi kawę", partyId });
        Assert.Equal(DateTimeOffset.Parse("2026-05-20T10:00:00Z"), DateTimeOffset.Parse(note.Str("doneAt")));
    }

    private static async Task ExpectFieldAsync(HttpClient client, object body, string field)
    {
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/activities", body);
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400 on {field}, got {(int)status} {problem?.ToJsonString()}");
        Assert.NotNull(problem!["errors"]?[field]);
    }
}

public sealed class SqliteActivityTests(SqliteApp app) : ActivityTests<SqliteApp>(app);

public sealed class PostgresActivityTests(PostgresApp app) : ActivityTests<PostgresApp>(app);
