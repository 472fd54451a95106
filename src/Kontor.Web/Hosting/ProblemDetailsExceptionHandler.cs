using System.Text.Json;
using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Ledger;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Web.Hosting;

/// <summary>
/// Turns the domain's exceptions into RFC 9457 problem details. Anything unknown stays a 500 and is
/// logged; everything a client can cause maps to a 4xx that names the field.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Map(exception);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            return false;
        }
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails? Map(Exception exception) => exception switch
    {
        ValidationException v => new ValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request has invalid fields.",
            Detail = v.Message,
        },
        NotFoundException n => Problem(StatusCodes.Status404NotFound, "Not found.", n.Message),
        Kontor.Crm.Credit.CreditBlockedException b => CreditProblem(b.Decision),
        Kontor.Crm.DuplicatePartyException d => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict, Title = "A party with this tax id already exists; nothing was saved.", Detail = d.Message,
            Extensions =
            {
                ["code"] = Kontor.Crm.DuplicatePartyException.Code,
                ["candidates"] = d.Candidates.Select(Kontor.Web.Api.DuplicateCandidateDto.From).ToArray(),
            },
        },
        ForbiddenException f => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden, Title = "Permission required.", Detail = f.Message,
            Extensions = { ["permission"] = f.Permission },
        },
        ConflictException c => Problem(StatusCodes.Status409Conflict, "Conflict.", c.Message),
        Kontor.Commerce.ShopPullFailedException s => new ProblemDetails
        {
            Status = StatusCodes.Status502BadGateway, Title = "The shop did not give the orders.", Detail = s.Message,
            Extensions = { ["shopStatus"] = s.ShopStatus, ["shopBody"] = s.ShopBody },
        },
        DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, "Conflict.", "The record was changed by someone else in the meantime; reload it and try again."),
        LedgerPostingException l => Problem(StatusCodes.Status422UnprocessableEntity, "The books refused the posting; nothing was saved.", l.Message),
        CurrencyMismatchException m => Problem(StatusCodes.Status400BadRequest, "Currencies do not match.", m.Message),
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException b when BindFailure().Match(b.Message) is { Success: true } m => QueryProblem(m.Groups["name"].Value, m.Groups["value"].Value),
        BadHttpRequestException b => Problem(b.StatusCode, "The request could not be read.", b.Message),
        _ => null,
    };

    /// <summary>409 with code "credit-blocked", the reasons and the figures, so a client can show them and offer the override.</summary>
    private static ProblemDetails CreditProblem(Kontor.Crm.Credit.CreditDecision d) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Blocked by credit control; nothing was saved.",
        Detail = d.Message,
        Extensions =
        {
            ["code"] = Kontor.Crm.Credit.CreditBlockedException.Code,
            ["reasons"] = d.Reasons.Select(r => r.ToString()).ToArray(),
            ["partyId"] = d.PartyId,
            ["currency"] = d.LimitCurrency,
            ["creditLimit"] = d.CreditLimit?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["balance"] = d.Balance.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["exposure"] = d.Exposure.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["exceededBy"] = d.ExceededBy?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["overdueAmount"] = d.OverdueAmount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["daysOverdue"] = d.DaysOverdue,
            ["overdueDaysThreshold"] = d.OverdueDaysThreshold,
        },
    };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static ValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = FieldFromPath(json.Path);
        var message = json.InnerException?.Message ?? json.Message;
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [$"{field}: the value has the wrong format or type. {ShortReason(message)}".Trim()] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this endpoint.",
        };
    }

    /// <summary>A route or query value that does not parse ("quantity=ten"): named like a body field, without .NET type names.</summary>
    private static ValidationProblemDetails QueryProblem(string name, string value) =>
        new(new Dictionary<string, string[]> { [name] = [$"{name}: \"{value}\" is not a valid value; expected a number, a date (yyyy-MM-dd) or an id."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request has invalid fields.",
        };

    // ASP.NET Core's message for a parameter it could not bind: Failed to bind parameter "Nullable<decimal> quantity" from "ten".
    [GeneratedRegex(@"^Failed to bind parameter ""[^""]*?(?<name>\w+)"" from ""(?<value>.*)""\.?$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    /// <summary>"$.lines[0].quantity" → "lines[0].quantity".</summary>
    internal static string FieldFromPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : LeadingDollar().Replace(path, "");

    private static string ShortReason(string message)
    {
        // System.Text.Json describes a wrong value by the .NET type it could not fill ("could not be
        // converted to Kontor.Web.Api.…", "too large or too small for a Decimal"): meaningless to a client.
        if (message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("for a Decimal", StringComparison.Ordinal)
            || message.Contains("for an Int", StringComparison.Ordinal))
            return "Expected a number, a date, or for an option field one of the names listed in /openapi/v1.json.";
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"^\$\.?")]
    private static partial Regex LeadingDollar();
}
