using Kontor.Catalog;
using Kontor.Company;
using Kontor.Crm;
using Kontor.CustomerCard;
using Kontor.Ledger;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kontor.Web.Api;

/// <summary>HTTP ⇄ module calls. No business rule lives here: each handler parses, calls one service, maps the result.</summary>
public static class ApiEndpoints
{
    public static void MapKontorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        app.MapPost("/api/auth/token", IssueToken).AllowAnonymous().WithTags("Auth")
            .WithSummary("Exchange e-mail and password for a bearer token (send as 'Authorization: Bearer <accessToken>').");

        var parties = api.MapGroup("/parties").WithTags("Parties").RequireAuthorization(Policies.Sell);
        parties.MapPost("", async (CreatePartyRequest request, PartyService service, CancellationToken ct) =>
        {
            var created = await service.CreateCheckedAsync(request.ToCommand(), request.ConfirmDuplicate ?? false, ct);
            return TypedResults.Created($"/api/parties/{created.Party.Id}", PartyDto.From(created.Party) with
            {
                PossibleDuplicates = created.PossibleDuplicates.Select(DuplicateCandidateDto.From).ToList(),
            });
        }).WithSummary("Create a customer or supplier (company or person). The same tax id as an existing party is 409 duplicate-party with the candidates " +
                       "unless confirmDuplicate is true; other resemblances (e-mail, phone, similar name in the same city) are listed in possibleDuplicates.");
        parties.MapGet("", async (int? skip, int? take, HttpContext http, Crm.Segmentation.PartyListQuery query, CancellationToken ct) =>
        {
            var page = await query.ListAsync(SegmentationEndpoints.ParsePartyFilter(http.Request), skip ?? 0, take ?? 100, ct);
            http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(page.Items);
        }).WithSummary("List parties by name, a page at a time (X-Total-Count: all matching). Filters, all combined with AND: search (name, tax id, e-mail), "
            + "segmentId, tag (repeat: the party has all), city, country, kind, hasOverdueDebt, overCreditLimit, creditBlocked (true/false; the customer card's figures).");
        parties.MapGet("/{id:guid}", async (Guid id, PartyService service, CancellationToken ct) =>
            TypedResults.Ok(PartyDto.From(await service.GetAsync(id, ct))));
        parties.MapPost("/{id:guid}/contacts", async (Guid id, ContactInput request, PartyService service, CancellationToken ct) =>
            TypedResults.Ok(ContactDto.From(await service.AddContactAsync(id, request, ct)))).WithSummary("Add a contact person to a party.");
        parties.MapPut("/{id:guid}/document-language", async (Guid id, PartyDocumentLanguageRequest request, PartyService service, CancellationToken ct) =>
            TypedResults.Ok(PartyDto.From(await service.SetDocumentLanguageAsync(id, request.DocumentLanguage, ct))))
            .WithSummary("Set the language (pl, en, ru) this party's PDFs print in when a download names none; null clears it.");
        parties.MapGet("/{id:guid}/overview", async (Guid id, CustomerOverviewQuery query, CancellationToken ct) =>
            TypedResults.Ok(CustomerOverviewDto.From(await query.GetAsync(id, ct))))
            .WithSummary("The customer card's money figures: balance, overdue, credit, averages and payment timeliness, from the books.");

        var products = api.MapGroup("/products").WithTags("Products").RequireAuthorization(Policies.Sell);
        products.MapPost("", async (CreateProductRequest request, ProductService service, CancellationToken ct) =>
        {
            var product = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/products/{product.Id}", ProductDto.From(product));
        });
        products.MapGet("", async (string? search, int? skip, int? take, ProductService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(search, skip ?? 0, take ?? 100, ct)).Select(ProductDto.From).ToList()));
        products.MapGet("/{id:guid}", async (Guid id, ProductService service, CancellationToken ct) =>
            TypedResults.Ok(ProductDto.From(await service.GetAsync(id, ct))));
        products.MapPut("/{id:guid}/unit-cost", async (Guid id, ProductUnitCostRequest request, ProductService service, CancellationToken ct) =>
        {
            var cost = request.UnitCost is null ? ((decimal, string)?)null : CreateProductRequest.UnitPriceParse(request.UnitCost, "unitCost");
            return TypedResults.Ok(ProductDto.From(await service.SetUnitCostAsync(id, cost?.Item1, cost?.Item2, ct)));
        }).RequireAuthorization(Policies.ManagePricing)
            .WithSummary("Sets (or clears with null) a product's unit cost in the book currency: the cost of goods behind margins.");
        products.MapPut("/{id:guid}/price", async (Guid id, ProductPriceRequest request, ProductService service, CancellationToken ct) =>
        {
            if (request?.NetPrice is null) throw new Kontor.Common.ValidationException("netPrice", "netPrice is required.");
            var (amount, currency) = CreateProductRequest.UnitPriceParse(request.NetPrice, "netPrice");
            return TypedResults.Ok(ProductDto.From(await service.SetNetPriceAsync(id, amount, currency, ct)));
        }).RequireAuthorization(Policies.ManagePricing)
            .WithSummary("Changes the catalogue net price {netPrice: {amount, currency}}; mapped shops get the new price through the outbox.");

        api.MapGet("/vat-rates", async (string? country, DateOnly? date, VatRates rates, CompanyProfileProvider company, BusinessCalendar calendar, CancellationToken ct) =>
        {
            var countryCode = country ?? (await company.GetAsync(ct)).CountryCode;
            return TypedResults.Ok((await rates.InForceAsync(countryCode.ToUpperInvariant(), date ?? calendar.Today(), ct)).Select(VatRateDto.From).ToList());
        }).WithTags("Products").WithSummary("VAT rates in force in a country on a date (default: the company's country, today).");

        var invoices = api.MapGroup("/invoices").WithTags("Invoices").RequireAuthorization(Policies.Sell);
        invoices.MapPost("", async (InvoiceRequest request, InvoiceService service, CancellationToken ct) =>
        {
            var invoice = await service.CreateDraftAsync(request.ToCommand(), InvoiceKind.Vat, request.CreditOverride, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", InvoiceDto.From(invoice));
        }).WithSummary("Create a draft invoice; totals are computed per VAT rate. Credit control: 409 credit-blocked over the limit or overdue; creditOverride {reason} needs OverrideCreditBlock (403 otherwise).");
        invoices.MapGet("", async (Guid? partyId, InvoiceStatus? status, InvoiceKind? kind, int? skip, int? take, InvoiceService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(partyId, status, skip ?? 0, take ?? 100, ct, kind is { } k ? [k] : null)).Select(InvoiceListItemDto.From).ToList()))
            .WithSummary("Invoices newest first: every tax document (Vat, Correction, Advance, Final) unless kind= names one; pro formas only with kind=ProForma.");
        invoices.MapGet("/{id:guid}", async (Guid id, InvoiceService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.GetAsync(id, ct))));
        invoices.MapPut("/{id:guid}", async (Guid id, InvoiceRequest request, InvoiceService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.UpdateDraftAsync(id, request.ToCommand(), ct)))).WithSummary("Replace a draft (409 once issued).");
        invoices.MapDelete("/{id:guid}", async (Guid id, InvoiceService service, CancellationToken ct) =>
        {
            await service.DeleteDraftAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a draft (409 once issued).");
        invoices.MapPost("/{id:guid}/issue", async (Guid id, IssueRequest? request, InvoiceService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.IssueAsync(id, request?.CreditOverride, ct))))
            .WithSummary("Issue: assign the number, fix dates and parties, and post to the ledger in one transaction.");
        invoices.MapPost("/{id:guid}/corrections", async (Guid id, CorrectionRequest request, CorrectionService service, CancellationToken ct) =>
        {
            var correction = await service.CreateDraftAsync(id, request.ToCommand(), ct);
            return TypedResults.Created($"/api/invoices/{correction.Id}", InvoiceDto.From(correction));
        }).WithSummary("Create a correction invoice draft (faktura korygująca) of an issued invoice or of its latest correction: changed lines by position, " +
                       "or fullReversal. Issue it with POST /api/invoices/{id}/issue (series KOR); it posts the difference.");
        invoices.MapPost("/batch", async (InvoiceBatchRequest request, InvoiceService service, CancellationToken ct) =>
        {
            var created = await service.CreateManyAsync(request.ToCommands(), request.Issue, ct);
            return TypedResults.Ok(new InvoiceBatchResultDto(created.Invoices.Select(InvoiceBatchItemDto.From).ToList(), created.Refused.Select(RefusedInvoiceDto.From).ToList()));
        }).WithSummary($"Create up to {InvoiceService.MaxIssueBatch} invoices in one transaction and, with \"issue\": true, issue and post them " +
                       "(consecutive numbers). All or nothing for bad input: errors name the invoice, e.g. invoices[3].lines[0].quantity. " +
                       "An invoice whose buyer credit control blocks is left out and listed in refused (index, reason); the others go through.");
        invoices.MapPost("/preview", async (InvoiceRequest request, InvoiceService service, CancellationToken ct) =>
        {
            var totals = await service.PreviewAsync(request.ToCommand(), ct);
            var currency = request.Currency?.ToUpperInvariant() ?? "PLN";
            return TypedResults.Ok(new InvoiceTotalsDto(
                totals.ByRate.Select(r => new VatRateTotalDto(r.VatRateCode, r.VatPercent, MoneyDto.From(r.Net, currency), MoneyDto.From(r.Vat, currency), MoneyDto.From(r.Gross, currency))).ToList(),
                MoneyDto.From(totals.Net, currency), MoneyDto.From(totals.Vat, currency), MoneyDto.From(totals.Gross, currency)));
        }).WithSummary("Compute the totals of an unsaved invoice.");

        api.MapPost("/payments", async (RegisterPaymentRequest request, PaymentService service, CancellationToken ct) =>
        {
            var result = await service.RegisterAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/payments/{result.Payment.Id}", PaymentDto.From(result));
        }).WithTags("Payments").RequireAuthorization(Policies.PostToBooks)
          .WithSummary("Register money received from a party: Dr 130 bank / Cr 201, or with via GatewayClearing (paid through the shop's payment gateway, " +
                       "not yet paid out) Dr 145 / Cr 201; allocations settle invoices explicitly, or oldest first when omitted.");

        var ledger = api.MapGroup("/ledger").WithTags("Ledger").RequireAuthorization(Policies.ReadBooks);
        ledger.MapGet("/entries", async (Guid? documentId, DateOnly? from, DateOnly? to, int? skip, int? take, LedgerQueries queries, CancellationToken ct) =>
            TypedResults.Ok((await queries.EntriesAsync(documentId, from, to, skip ?? 0, take ?? 100, ct)).Select(JournalEntryDto.From).ToList()));
        ledger.MapGet("/trial-balance", async (DateOnly? asOf, LedgerQueries queries, BusinessCalendar calendar, CancellationToken ct) =>
            TypedResults.Ok(TrialBalanceDto.From(await queries.TrialBalanceAsync(asOf ?? calendar.Today(), ct))));
        ledger.MapGet("/accounts", async (LedgerQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.AccountsAsync(ct)));
        ledger.MapGet("/export/hledger", (DateOnly? from, DateOnly? to, JournalExport export) =>
        {
            if (from is not null && to is not null && to < from)
                throw new Kontor.Common.ValidationException("to", "to must not be before from.");
            var name = $"kontor-{from?.ToString("yyyyMMdd") ?? "start"}-{to?.ToString("yyyyMMdd") ?? "end"}.journal";
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false), bufferSize: 64 * 1024);
                await export.WriteHledgerAsync(writer, from, to);
            }, "text/plain; charset=utf-8", name);
        }).WithSummary("The journal in the hledger / ledger-cli plain-text format; `hledger -f file bal -B` recomputes the trial balance in the book currency.");

        api.MapGet("/audit", async (string? entityType, string? entityId, int? skip, int? take, AuditQueries queries, CancellationToken ct) =>
            TypedResults.Ok((await queries.ListAsync(entityType, entityId, skip ?? 0, take ?? 100, ct)).Select(AuditEntryDto.From).ToList()))
            .WithTags("Audit").RequireAuthorization(Policies.ReadAudit);
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> IssueToken(TokenRequest request, UserManager<KontorUser> users, SignInManager<KontorUser> signIn)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        if (user is null || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem("E-mail or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (!check.Succeeded)
            return TypedResults.Problem(check.IsLockedOut ? "Too many failed attempts; the account is locked for a while." : "E-mail or password is wrong.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }
}
