using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kontor.UiTests;

/// <summary>
/// The real Kontor web app on a real Kestrel port (127.0.0.1, chosen by the OS) over a fresh SQLite
/// file, and one headless Chromium for all tests of the collection.
/// </summary>
public sealed class KontorAppFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@ui-test.local";
    public const string AdminPassword = "ui-test-passphrase-2026";

    private readonly string root = Path.Combine(Path.GetTempPath(), "kontor-ui-" + Guid.NewGuid().ToString("N"));
    private KontorWebFactory? factory;
    private IPlaywright? playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public IServiceProvider Services => factory!.Services;
    public string DatabaseFile => Path.Combine(root, "ui.db");

    /// <summary>Where screenshots go: the test output folder, next to the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("KONTOR_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException(
                $"Chromium was not found at '{chromium}'. The UI tests need it: run ./test.sh (it installs chromium and sets KONTOR_TEST_CHROMIUM), or set KONTOR_TEST_CHROMIUM to a Chromium binary.");

        Directory.CreateDirectory(root);
        Directory.CreateDirectory(ScreenshotDirectory);
        factory = new KontorWebFactory(root);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        BaseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A Polish company customer with a NIP, made through the service (journeys start from it).</summary>
    public async Task<Kontor.Crm.Party> CreateCompanyAsync(string name, string nip, string street, string postalCode, string city)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Kontor.Crm.PartyService>().CreateAsync(new Kontor.Crm.CreateParty(
            Kontor.Crm.PartyKind.Company, name, Kontor.Common.TaxIdKind.Nip, nip, new Kontor.Crm.AddressInput(street, postalCode, city, "PL"),
            null, null, 14, null, "PLN", null, null));
    }

    public const string SalesEmail = "sales@ui-test.local";

    /// <summary>A signed-in Sales user (role Sales only, no OverrideCreditBlock), created once through the same service as the admin's users.</summary>
    public async Task<IPage> SignedInSalesPageAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Kontor.Security.KontorUser>>();
            if (await users.FindByEmailAsync(SalesEmail) is null)
                await scope.ServiceProvider.GetRequiredService<Kontor.Web.Hosting.UserAccounts>().CreateAsync(SalesEmail, AdminPassword, "Sales Tester", Kontor.Security.Roles.Sales);
        }
        return await SignedInPageAsync(email: SalesEmail);
    }

    /// <summary>A signed-in admin (or <paramref name="email"/>, same password) in English, so amounts read "300.00 PLN".</summary>
    public async Task<IPage> SignedInPageAsync(int width = 1366, int height = 900, string email = AdminEmail)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        // Generous: CI runs this assembly beside the PostgreSQL integration tests on 2 cores, and a
        // Blazor circuit can take seconds to attach under that load. A real hang still fails.
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/culture/en?returnUrl=/login");
        if (!await SignInAsync(page, email, TimeSpan.FromSeconds(20)))
        {
            // Seen twice under CI load (2026-11-24): the sign-in settled on another page instead of "/" (the network went
            // idle). Where it landed is written out for whoever looks into it; one more try, then the test fails saying where.
            var landed = page.Url;
            Console.WriteLine($"Sign-in of {email} landed on {landed} instead of /; trying once more.");
            await page.GotoAsync("/login");
            if (!await SignInAsync(page, email, TimeSpan.FromSeconds(45)))
                throw new TimeoutException($"Sign-in of {email} did not reach /: it landed on {landed}, then on {page.Url}.");
        }
        await WaitForInteractiveAsync(page);
        return page;
    }

    private async Task<bool> SignInAsync(IPage page, string email, TimeSpan patience)
    {
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", AdminPassword);
        await page.ClickAsync("#login");
        try
        {
            await page.WaitForURLAsync(BaseUrl + "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = (float)patience.TotalMilliseconds });
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    /// <summary>Delivers <paramref name="body"/> to the channel's WooCommerce webhook signed as WooCommerce signs it (HMAC-SHA256 of the body, base64).</summary>
    public async Task<HttpResponseMessage> SendWooCommerceWebhookAsync(Guid channelId, string secret, string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{channelId}/woocommerce")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-WC-Webhook-Signature", Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body))));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Pages are prerendered; input only counts once the Blazor circuit is attached.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator(".shell[data-interactive='true']").WaitForAsync();

    /// <summary>
    /// Every table on the page lines its headings up with its first row's cells (same left edge) and its first row's cells
    /// are table cells as tall as the row: a layout rule that turns a table or a cell into something else (e.g. a flex box)
    /// leaves the headings floating over the wrong columns or a cell's border out of line with the rest of its row.
    /// </summary>
    public static async Task ExpectTablesAlignedAsync(IPage page)
    {
        var misaligned = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('table')].flatMap(table => {
                const name = table.dataset.testid ?? table.closest('[data-testid]')?.dataset.testid ?? 'table';
                const shown = e => e.getClientRects().length > 0;
                const heads = [...table.querySelectorAll(':scope > thead > tr:first-child > th')];
                const row = table.querySelector(':scope > tbody > tr');
                // No headings on show (a phone's stacked cards) or no row: nothing to line up.
                if (!row || !heads.some(shown)) return [];
                // Cells by the column they start in, colspans counted (an empty-state row spans them all).
                const starts = new Map();
                let columns = 0;
                for (const cell of row.children) { starts.set(columns, cell); columns += cell.colSpan || 1; }
                const problems = [];
                let column = 0;
                for (const th of heads) {
                    const cell = starts.get(column);
                    if (cell && shown(th) && shown(cell) && Math.abs(th.getBoundingClientRect().left - cell.getBoundingClientRect().left) > 1)
                        problems.push(`${name}: "${th.textContent.trim()}" at ${Math.round(th.getBoundingClientRect().left)}px, its cells at ${Math.round(cell.getBoundingClientRect().left)}px`);
                    column += th.colSpan || 1;
                }
                if (column !== columns) problems.push(`${name}: ${column} heading columns but ${columns} in the first row`);
                // A real table cell is as tall as its row; a cell made a flex box is only as tall as its content.
                const rowBox = row.getBoundingClientRect();
                for (const cell of row.children) {
                    const box = cell.getBoundingClientRect();
                    if (shown(cell) && getComputedStyle(cell).display !== 'table-cell')
                        problems.push(`${name}: a cell of the first row is display: ${getComputedStyle(cell).display}, not a table cell`);
                    else if (shown(cell) && (Math.abs(box.top - rowBox.top) > 1 || (cell.rowSpan <= 1 && Math.abs(box.bottom - rowBox.bottom) > 1)))
                        problems.push(`${name}: a cell of the first row spans ${Math.round(box.top)}–${Math.round(box.bottom)}px, its row ${Math.round(rowBox.top)}–${Math.round(rowBox.bottom)}px`);
                }
                return problems;
            })
            """);
        Assert.True(misaligned.Length == 0, "Table headings out of line with their columns: " + string.Join("; ", misaligned));
    }

    /// <summary>A full-page picture from the top, so the sticky top bar sits where a person sees it; what it shows is checked for tables out of line first.</summary>
    public static async Task ScreenshotAsync(IPage page, string fileName)
    {
        await ExpectTablesAlignedAsync(page);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, fileName), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (factory is not null) await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the OS */ }
    }

    private sealed class KontorWebFactory(string root) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Kontor", $"Data Source={Path.Combine(root, "ui.db")}");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:SeedDemoData", "false");
            builder.UseSetting("KONTOR_ADMIN_EMAIL", AdminEmail);
            builder.UseSetting("KONTOR_ADMIN_PASSWORD", AdminPassword);
            builder.UseSetting("Kontor:KeysDirectory", Path.Combine(root, "keys"));
            // Journeys fetch missed orders with the button; no background pull in between.
            builder.UseSetting("Commerce:OrderPull:IntervalMinutes", "0");
            // Held orders are mapped and retried by the journeys themselves.
            builder.UseSetting("Commerce:HeldOrders:RetryMinutes", "0");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KontorAppCollection : ICollectionFixture<KontorAppFixture>
{
    public const string Name = "Kontor app with Chromium";
}
