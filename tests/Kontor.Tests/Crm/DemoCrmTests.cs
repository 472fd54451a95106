using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Crm;

/// <summary>The demo data gives the demo salesperson a "my day" with an overdue task and the company a complaint.</summary>
public abstract class DemoCrmTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task The_demo_salesperson_has_an_overdue_task_and_a_meeting_today_and_there_is_a_complaint()
    {
        await using var demo = app.CreateFresh(new Dictionary<string, string?> { ["Database:SeedDemoData"] = "true" });
        await demo.InitializeAsync();
        using var client = demo.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = "sales@kontor.local", password = KontorApp.Password });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>());

        var day = await client.GetOkAsync("/api/activities/my-day");

        Assert.Equal(["Przypomnieć o zaległej płatności"], day.Arr("overdue").Select(a => a.Str("subject")));
        Assert.Equal(["Prezentacja modułu magazynowego"], day.Arr("dueToday").Select(a => a.Str("subject")));
        Assert.Contains("Call back: Przedłużenie licencji na 2027", day.Arr("upcoming").Select(a => a.Str("subject")));
        var complaints = (await client.GetOkAsync("/api/complaints")).AsArray();
        Assert.Single(complaints);
        Assert.StartsWith("REK/", complaints[0].Str("number"));
    }
}

public sealed class SqliteDemoCrmTests(SqliteApp app) : DemoCrmTests<SqliteApp>(app);

public sealed class PostgresDemoCrmTests(PostgresApp app) : DemoCrmTests<PostgresApp>(app);
