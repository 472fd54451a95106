using System.Globalization;
using System.Text.Json.Serialization;
using Kontor;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Web.Api;
using Kontor.Web.Components;
using Kontor.Web.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

// Work outside a request (the outbox, held-order retries, the order pull) writes its messages into the log and onto held
// orders: in English, as the shops' own webhooks are, whatever the server's locale (decision 53). Requests set their own.
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en");
var builder = WebApplication.CreateBuilder(args);
// `dotnet run` serves the framework's scripts (blazor.web.js) from the build output in every
// environment, not only Development; after `dotnet publish` the files are in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddKontor(builder.Configuration);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentActor, HttpCurrentActor>();
builder.Services.AddCircuitScopedServices();
builder.Services.AddScoped<UserAccounts>();
builder.Services.AddHostedService<RecurringInvoiceWorker>();
builder.Services.AddHostedService<OutboxWorker>();
builder.Services.AddHostedService<ShopOrderQueueLifetime>();
builder.Services.AddHostedService<OrderPullWorker>();
builder.Services.AddHostedService<HeldOrderRetryWorker>();

builder.Services.AddDataProtection()
    .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["Kontor:KeysDirectory"] ?? Path.Combine("data", "keys")))
    .SetApplicationName("Kontor");

builder.Services.AddIdentityCore<KontorUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        // Length over composition rules (NIST SP 800-63B): a long passphrase, no forced symbols.
        o.Password.RequiredLength = 10;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireDigit = false;
        o.Lockout.MaxFailedAccessAttempts = 10;
    })
    .AddRoles<KontorRole>()
    .AddErrorDescriber<IdentityMessages>()
    .AddEntityFrameworkStores<KontorDbContext>()
    .AddSignInManager()
    .AddDefaultTokenProviders();

const string SmartScheme = "Kontor";
builder.Services.AddAuthentication(SmartScheme)
    .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? IdentityConstants.BearerScheme
            : IdentityConstants.ApplicationScheme)
    .AddCookie(IdentityConstants.ApplicationScheme, o =>
    {
        o.LoginPath = "/login";
        o.AccessDeniedPath = "/forbidden";
        o.Cookie.Name = "kontor.auth";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.SlidingExpiration = true;
        o.ExpireTimeSpan = TimeSpan.FromHours(10);
        // An API client gets a status code, not a login page.
        o.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
    })
    .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(8));

builder.Services.AddAuthorization(o =>
{
    o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    foreach (var (policy, roles) in Policies.RolesByPolicy)
        o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
});
builder.Services.AddCascadingAuthenticationState();

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
    context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
// Let malformed JSON reach the exception handler, which names the offending field.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowReadingFromString;
});
builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Kontor API";
    document.Info.Description = "CRM, invoicing and double-entry books in one database. Authenticate with POST /api/auth/token and send 'Authorization: Bearer <accessToken>'. " +
                                "Money travels as {\"amount\": \"123.45\", \"currency\": \"PLN\"}: a decimal string with the currency's minor units and an ISO 4217 code. " +
                                "Errors are RFC 9457 problem details; field errors are under 'errors', keyed by the JSON path of the field. " +
                                "Their messages are English unless the request asks for Polish or Russian (Accept-Language: pl or ru).";
    return Task.CompletedTask;
}));

builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.Configure<RequestLocalizationOptions>(o =>
{
    string[] cultures = ["pl", "en", "ru"];
    o.SetDefaultCulture("pl").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
    o.ApplyCurrentCultureToResponseHeaders = true;
    // Messages (refusals, field errors) are said in the UI language. A person picks it; an API client that asks for none
    // by cookie, ?culture= or Accept-Language gets English, the API's documented language, with numbers as before.
    o.RequestCultureProviders.Add(new CustomRequestCultureProvider(context =>
        Task.FromResult(context.Request.Path.StartsWithSegments("/api")
            ? new ProviderCultureResult(o.DefaultRequestCulture.Culture.Name, "en")
            : null)));
});

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddHealthChecks();

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    var seedDemo = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.SeedDemoData;
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    // Only the web host encrypts channel secrets still stored in plain text: its key ring is the one that decrypts them
    // when a webhook arrives (`kontor migrate` must not, docs/commerce.md, "Secrets at rest").
    var protectedCount = await scope.ServiceProvider.GetRequiredService<Kontor.Commerce.ChannelSecrets>()
        .ProtectStoredAsync(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
    if (protectedCount > 0)
    {
        app.Services.GetRequiredService<ReferenceData>().Invalidate();
        app.Logger.LogInformation("Encrypted the secrets of {Count} sales channel(s) at rest", protectedCount);
    }
    await scope.ServiceProvider.GetRequiredService<UserAccounts>().EnsureRolesAndFirstAdministratorAsync(seedDemo);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi();
app.MapScalarApiReference("/api-docs", o => o.WithTitle("Kontor API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
app.MapKontorApi();
app.MapUserApi();
app.MapDocumentApi();
app.MapSettingsApi();
app.MapExchangeRateApi();
app.MapOfferApi();
app.MapOrderApi();
app.MapSalesDocumentApi();
app.MapRecurringInvoiceApi();
app.MapBooksApi();
app.MapReportApi();
app.MapBankStatementApi();
app.MapReconciliationApi();
app.MapPricingApi();
app.MapPurchaseApi();
app.MapSegmentationApi();
app.MapPipelineApi();
app.MapCrmApi();
app.MapPartyDataApi();
app.MapInventoryApi();
app.MapCommerceApi();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
{
    if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
    context.Response.Redirect(context.RedirectUri);
    return Task.CompletedTask;
}

/// <summary>Entry point, public so integration tests can host the real application.</summary>
public partial class Program;
