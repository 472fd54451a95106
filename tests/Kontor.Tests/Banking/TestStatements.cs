using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Banking;

/// <summary>One movement of a synthetic statement: Debit = money out; Name and Iban are the counterparty's (~32, ~38).</summary>
public sealed record TestStatementLine(decimal Amount, string Title, bool Debit = false, string? Name = null, string? Iban = null);

/// <summary>Synthetic MT940 statements (ZBP ~ layout) of the company account, for the reconciliation tests.</summary>
public static class TestStatements
{
    public const string CompanyIban = "PL60102010260000042270201111";

    /// <summary>An MT940 statement of the company account on the test's today, one :61:/:86: pair per line (title in ~20–~25 pieces of 27).</summary>
    public static byte[] Mt940(params TestStatementLine[] lines)
    {
        static string Amount(decimal a) => a.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');
        var text = new StringBuilder();
        text.Append($":20:T{Guid.NewGuid():N}"[..20]).Append("\r\n");
        text.Append($":25:{CompanyIban}\r\n:28C:1\r\n:60F:C260319PLN0,00\r\n");
        var balance = 0m;
        for (var i = 0; i < lines.Count(); i++)
        {
            var l = lines[i];
            balance += l.Debit ? -l.Amount : l.Amount;
            text.Append($":61:2603200320{(l.Debit ? "D" : "C")}{Amount(l.Amount)}NTRFNONREF//B{i + 1}\r\n");
            var details = new StringBuilder(l.Debit ? "073~00Oplata" : "153~00Przelew");
            for (var k = 0; k * 27 < l.Title.Length && k < 6; k++)
                details.Append($"~2{k}").Append(l.Title.Substring(k * 27, Math.Min(27, l.Title.Length - k * 27)));
            if (l.Name is not null) details.Append("~32").Append(l.Name[..Math.Min(27, l.Name.Length)]);
            if (l.Iban is not null) details.Append("~38").Append(l.Iban);
            text.Append(":86:").Append(details).Append("\r\n");
        }
        text.Append($":62F:{(balance >= 0 ? "C" : "D")}260320PLN{Amount(Math.Abs(balance))}\r\n-\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static async Task<JsonNode> ImportAsync(HttpClient client, byte[] file)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        form.Add(content, "file", "statement.sta");
        using var response = await client.PostAsync("/api/bank-statements/import", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    public static async Task EnsureCompanyAccountAsync(KontorApp app)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var accounts = (await admin.GetOkAsync("/api/settings/company/bank-accounts")).AsArray();
        if (accounts.Any(a => a!.Str("iban") == CompanyIban)) return;
        await admin.PostCreatedAsync("/api/settings/company/bank-accounts", new { name = "Rachunek główny", iban = CompanyIban, currency = "PLN" });
    }
}
